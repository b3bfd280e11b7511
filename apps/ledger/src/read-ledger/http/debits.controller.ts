import { debitSearchFields, LedgerDebitSchema, LedgerDebitSummarySchema, pageSchema, timeRangeFields } from '@mm/contracts';
import { ApiErrorResponse, ApiZodParam, ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { DEBIT_STATES, DebitsRead, type DebitRow } from '../debits.read';
import type { EventRow } from '../payments.read';
import { ApiKeyGuard } from './api-key.guard';
import { ReadApiDocs } from './read-api.docs';
import { decodeCursor, pageFields, parseParams, toPage } from './query-params';
import { eventView, postingView, timeKeyOf } from './views';

const ListQuery = z.object({ ...pageFields, ...timeRangeFields, ...debitSearchFields, state: z.enum(DEBIT_STATES).optional() }).strict();
const STATE_BY_TYPE: Record<string, string> = {
  'mm.debit.approved.v1': 'APPROVED',
  'mm.debit.declined.v1': 'DECLINED',
  'mm.debit.failed.v1': 'FAILED',
  'mm.debit.outcome-unknown.v1': 'UNKNOWN',
  'mm.debit.expired.v1': 'EXPIRED',
};
/** The state a result event leaves its command in (as STATE_OF_RESULT says in SQL). */
const stateOf = (e: EventRow): string | undefined =>
  e.type === 'mm.debit.outcome-resolved.v1' ? (e.envelope.data.outcome === 'DEBITED' ? 'APPROVED' : 'NOT_DEBITED') : STATE_BY_TYPE[e.type];

const debitView = (r: DebitRow) => ({
  commandId: r.envelope.data.commandId,
  state: r.state,
  accountNumber: r.envelope.data.accountNumber,
  accountType: r.envelope.data.accountType,
  amount: r.envelope.data.amount,
  receiptId: r.envelope.data.receiptId,
  requestedAt: r.time.toISOString(),
  resultAt: r.result_time?.toISOString() ?? null,
});

/** Debit commands sent to Bixi and what became of them. */
@Controller('v1/debits')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('debits')
export class DebitsController {
  constructor(private readonly debits: DebitsRead) {}

  @Get()
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of debit commands, newest first', pageSchema(LedgerDebitSummarySchema))
  async list(@Query() query: unknown) {
    const q = parseParams(ListQuery, query);
    const rows = await this.debits.list({ ...q, cursor: decodeCursor(q.cursor) });
    return toPage(rows, q.limit, timeKeyOf, debitView);
  }

  @Get(':commandId')
  @ApiZodParam('commandId', z.uuid())
  @ApiZodResponse(200, 'the command, its results and their postings', LedgerDebitSchema)
  @ApiErrorResponse(404, 'no such debit in the ledger')
  async findOne(@Param('commandId') raw: string) {
    const commandId = parseParams(z.uuid(), raw, 'commandId');
    const { events, postings } = await this.debits.findOne(commandId);
    if (events.length === 0) throw new NotFoundException(`debit ${commandId} is not in the ledger`);
    const request = events.find((e) => e.type === 'mm.debit.requested.v1');
    const results = events.filter((e) => e.type !== 'mm.debit.requested.v1');
    const latest = results[results.length - 1];
    return {
      commandId,
      state: latest ? stateOf(latest) : 'REQUESTED',
      request: request ? eventView(request) : null,
      results: results.map((e) => ({ outcome: stateOf(e), ...eventView(e) })),
      postings: postings.map(postingView),
    };
  }
}
