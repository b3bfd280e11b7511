import type { Readable } from 'node:stream';
import { STATEMENT_MEDIA_TYPES, type StatementImportResult } from '@mm/contracts';
import { CurrentOperator, Operators, type Operator } from '@mm/platform';
import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEBIT_CONFIG, type DebitConfig } from '../../config';
import { ImportStatementService } from '../import-statement.service';
import type { StatementFormat } from '../read-statement';
import { parsePeriod, StatementError, type StatementPeriod } from '../statement';
import { ImportBixiDocs, StatementsDocs } from './statements.docs';

const formatOf = (contentType: string | undefined): StatementFormat | undefined => {
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  return media === STATEMENT_MEDIA_TYPES.csv ? 'csv' : media === STATEMENT_MEDIA_TYPES.jsonl ? 'jsonl' : undefined;
};

/** Bixi statements imported by a maker: matched against our debits, UNKNOWNs settled, the rest listed as breaks. */
@Controller('v1/statements')
@StatementsDocs()
export class StatementsHttpController {
  constructor(
    private readonly service: ImportStatementService,
    @Inject(DEBIT_CONFIG) private readonly config: Pick<DebitConfig, 'STATEMENT_MAX_BYTES'>,
  ) {}

  @Post('bixi')
  @HttpCode(200)
  @Operators('maker')
  @ImportBixiDocs()
  async importBixi(
    @Req() req: FastifyRequest<{ Querystring: { period?: unknown } }>,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentOperator() operator: Operator,
  ): Promise<StatementImportResult> {
    const { period } = req.query;
    const format = formatOf(req.headers['content-type']);
    if (!format || typeof (req.body as Readable | undefined)?.pipe !== 'function')
      throw new UnsupportedMediaTypeException(`the statement is ${STATEMENT_MEDIA_TYPES.csv} or ${STATEMENT_MEDIA_TYPES.jsonl}`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.config.STATEMENT_MAX_BYTES) throw tooLarge(this.config.STATEMENT_MAX_BYTES);
    try {
      const complete = completePeriod(period, req.body as Readable);
      const { result, replayed } = await this.service.importBixi(req.body as Readable, format, operator, complete);
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return result;
    } catch (error) {
      if (!(error instanceof StatementError)) throw error;
      if (error.code === 'too_large') throw tooLarge(this.config.STATEMENT_MAX_BYTES);
      const field =
        error.code === 'invalid_period' && error.line === undefined
          ? 'period'
          : error.line === undefined
            ? 'body'
            : `line ${error.line}${error.field ? `: ${error.field}` : ''}`;
      throw new BadRequestException({ message: `invalid statement: ${error.message}`, details: [{ field, message: error.message }] });
    }
  }
}

/** The declared period, or undefined; an invalid one refuses the statement unread (its body drained, not cut). */
function completePeriod(period: unknown, body: Readable): StatementPeriod | undefined {
  try {
    if (period === undefined) return undefined;
    if (typeof period !== 'string') throw new StatementError('invalid_period', 'give period once');
    return parsePeriod(period);
  } catch (error) {
    body.resume();
    throw error;
  }
}

const tooLarge = (max: number) => new PayloadTooLargeException(`the statement is larger than STATEMENT_MAX_BYTES (${max} bytes)`);
