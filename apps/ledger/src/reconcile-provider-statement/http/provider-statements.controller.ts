import { ProviderStatementImportSchema } from '@mm/contracts';
import { ApiDocs, ApiErrorResponse, ApiZodResponse, CurrentOperator, Operators, type Operator } from '@mm/platform';
import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';
import { ImportProviderStatementUseCase } from '../import-statement.use-case';
import { StatementError } from '../read-statement';
import { statementFormatOf } from './statement-upload';

/** A provider's settlement statement, imported by a maker and matched with the payments in the books. */
@Controller('v1/statements')
@ApiDocs('statements', 'operator')
export class ProviderStatementsController {
  constructor(
    private readonly importer: ImportProviderStatementUseCase,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post('provider')
  @HttpCode(200)
  @Operators('maker')
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description: 'CSV with the header `providerId,transactionId,amount,currency,msisdn,time`, or NDJSON objects with those members',
    schema: { type: 'string' },
  })
  @ApiZodResponse(200, 'what the import found; the same file again answers the same and stores nothing', ProviderStatementImportSchema)
  @ApiErrorResponse(400, 'malformed CSV or NDJSON, wrong columns, or invalid lines (each named by line and field in `details`)')
  @ApiErrorResponse(401, 'no valid operator token')
  @ApiErrorResponse(403, 'the token lacks the maker role')
  @ApiErrorResponse(413, 'the statement is larger than STATEMENT_MAX_BYTES')
  @ApiErrorResponse(415, 'the body is neither text/csv nor application/x-ndjson')
  async import(@Req() req: FastifyRequest, @CurrentOperator() operator: Operator) {
    const format = statementFormatOf(req.headers['content-type']);
    if (!format) throw new UnsupportedMediaTypeException('a statement is uploaded as text/csv or application/x-ndjson');
    const maxBytes = this.config.STATEMENT_MAX_BYTES;
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge(maxBytes);
    // Stopping early must not destroy the request: the rest of an oversized body is discarded, the connection kept.
    const body = req.raw.iterator({ destroyOnReturn: false });
    try {
      return await this.importer.import({ body, format, maxBytes, operator, correlationId: String(req.id) });
    } catch (error) {
      if (!(error instanceof StatementError)) throw error;
      if (error.code === 'too_large') {
        req.raw.resume();
        throw tooLarge(maxBytes);
      }
      throw new BadRequestException({
        message: `statement refused, nothing stored: ${error.message}`,
        details: error.problems.map((p) => ({ field: `line ${p.line}: ${p.field}`, message: p.message })),
      });
    }
  }
}

const tooLarge = (maxBytes: number) => new PayloadTooLargeException(`a statement may have at most ${maxBytes} bytes`);
