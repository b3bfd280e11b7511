import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SANDBOX_CONFIG, type SandboxConfig } from '../config';
import { BearerToken } from '../pay/bearer-token';
import { errorResponse } from '../pay/transaction-response';
import { statementText } from './statement-lines';
import { StatementDocs } from './statements.docs';
import { TransactionLog } from './transaction-log';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const isDay = (value: string) => {
  const m = DAY.exec(value);
  return m !== null && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
};

/**
 * Sandbox only (Bixi's real statements come another way): the statement of one UTC day, every transaction the
 * sandbox created that day, so the reconciliation loop runs locally and in tests.
 */
@Controller('sandbox/statements')
export class StatementsController {
  private readonly token: BearerToken;

  constructor(
    @Inject(SANDBOX_CONFIG) config: SandboxConfig,
    private readonly transactions: TransactionLog,
  ) {
    this.token = new BearerToken(config.BIXI_API_TOKEN);
  }

  @Get(':date')
  @StatementDocs()
  async statement(
    @Param('date') date: string,
    @Query('format') format: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const json = 'application/json';
    if (!this.token.matches(req.headers.authorization)) {
      const body = errorResponse(401, 'unauthorized', 'Unauthorized', 'a valid Bearer token is required');
      return void (await reply.status(401).header('content-type', json).send(body));
    }
    const fmt = format === undefined ? 'jsonl' : format;
    if (!isDay(date) || (fmt !== 'csv' && fmt !== 'jsonl')) {
      const body = errorResponse(400, 'invalid_request', 'Bad Request', 'the date is YYYY-MM-DD (UTC) and format csv or jsonl');
      return void (await reply.status(400).header('content-type', json).send(body));
    }
    const text = statementText(this.transactions.ofDay(date), fmt);
    await reply
      .status(200)
      .header('content-type', fmt === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="bixi-statement-${date}.${fmt}"`)
      .header('x-sandbox-transactions-forgotten', String(this.transactions.forgotten))
      .send(text);
  }
}
