import {
  CurrencySchema,
  LedgerPaymentSchema,
  LedgerPaymentSummarySchema,
  pageSchema,
  paymentSearchFields,
  SearchIdSchema,
  timeRangeFields,
} from '@mm/contracts';
import { ApiErrorResponse, ApiZodParam, ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { PaymentsRead } from '../payments.read';
import { ReadApiDocs } from './read-api.docs';
import { ApiKeyGuard } from './api-key.guard';
import { decodeCursor, pageFields, parseParams, toPage } from './query-params';
import { eventView, paymentView, timeKeyOf } from './views';

const id = SearchIdSchema;
const ListQuery = z.object({ ...pageFields, ...timeRangeFields, ...paymentSearchFields, currency: CurrencySchema.optional() }).strict();

/** Payments received from providers, newest first; one payment with its events and postings. */
@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsRead) {}

  @Get()
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of payments, newest first', pageSchema(LedgerPaymentSummarySchema))
  async list(@Query() query: unknown) {
    const q = parseParams(ListQuery, query);
    const rows = await this.payments.list({ ...q, cursor: decodeCursor(q.cursor) });
    return toPage(rows, q.limit, timeKeyOf, paymentView);
  }

  @Get(':paymentId')
  @ApiZodParam('paymentId', id)
  @ApiZodResponse(200, 'the payment with its events and postings', LedgerPaymentSchema)
  @ApiErrorResponse(404, 'no such payment in the ledger')
  async findOne(@Param('paymentId') raw: string) {
    const paymentId = parseParams(id, raw, 'paymentId');
    const { events, postings } = await this.payments.findOne(paymentId);
    const first = events[0];
    if (!first) throw new NotFoundException(`payment ${paymentId} is not in the ledger`);
    return {
      paymentId,
      eventId: first.id,
      payment: first.envelope.data,
      source: { topic: first.topic, partition: first.kafka_partition, offset: first.kafka_offset },
      storedAt: first.received_at.toISOString(),
      events: events.map(eventView),
      // The shape the end-to-end tests and clients already rely on: account, currency, signed minor units.
      postings: postings.map((p) => ({ accountId: p.account_id, currency: p.currency, amountMinor: p.amount_minor })),
    };
  }
}
