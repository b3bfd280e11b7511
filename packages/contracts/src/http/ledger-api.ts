import { z } from 'zod';
import { MoneySchema } from '../money';
import { BreakSummarySchema } from './breaks';
import { SuspenseBucketSchema } from './suspense';

/**
 * The ledger read API's answers (`/v1/payments`, `/v1/debits`, `/v1/accounts`, `/v1/events`, `/v1/reports`), as it
 * writes them: money is integer minor units as a string beside its currency, times are ISO-8601. Stored envelopes are
 * given back as they were received, so they are described as open objects. Its errors and pages are the shared
 * `ApiErrorSchema` and `pageSchema` (./api-error).
 */

const KafkaOriginSchema = z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() });
const StoredEnvelopeSchema = z.looseObject({ specversion: z.string(), id: z.string(), type: z.string(), data: z.unknown() });

export const LedgerPostingSchema = z.object({
  postingId: z.string(),
  entryId: z.string(),
  eventId: z.string(),
  accountId: z.string(),
  currency: z.string(),
  amountMinor: z.string().describe('signed integer minor units: debit positive, credit negative'),
  bookedAt: z.string(),
});

export const LedgerEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  subject: z.string(),
  time: z.string(),
  source: KafkaOriginSchema,
  storedAt: z.string(),
  envelope: StoredEnvelopeSchema,
});

export const LedgerPaymentSummarySchema = z.object({
  paymentId: z.string(),
  eventId: z.string(),
  providerId: z.string(),
  customerId: z.string(),
  transactionId: z.string(),
  operator: z.string().nullable(),
  amount: MoneySchema,
  time: z.string(),
  storedAt: z.string(),
});

export const LedgerPaymentSchema = z.object({
  paymentId: z.string(),
  eventId: z.string(),
  payment: z.looseObject({}).describe('the PaymentReceived data as published'),
  source: KafkaOriginSchema,
  storedAt: z.string(),
  events: z.array(LedgerEventSchema),
  postings: z.array(z.object({ accountId: z.string(), currency: z.string(), amountMinor: z.string() })),
});

/** A debit's state as the ledger sees it from the events it stored. */
export const LEDGER_DEBIT_STATES = ['REQUESTED', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN', 'EXPIRED', 'NOT_DEBITED'] as const;
const LedgerDebitStateSchema = z.enum(LEDGER_DEBIT_STATES);

export const LedgerDebitSummarySchema = z.object({
  commandId: z.string(),
  state: LedgerDebitStateSchema,
  accountNumber: z.string(),
  accountType: z.string(),
  amount: MoneySchema,
  receiptId: z.string(),
  requestedAt: z.string(),
  resultAt: z.string().nullable(),
});

export const LedgerDebitSchema = z.object({
  commandId: z.string(),
  state: LedgerDebitStateSchema,
  request: LedgerEventSchema.nullable(),
  results: z.array(LedgerEventSchema.extend({ outcome: LedgerDebitStateSchema.optional() })),
  postings: z.array(LedgerPostingSchema),
});

export const LedgerAccountSchema = z.object({
  accountId: z.string(),
  createdAt: z.string(),
  balances: z.array(z.object({ currency: z.string(), balanceMinor: z.string(), postings: z.number().int() })),
  recentPostings: z.array(LedgerPostingSchema),
  nextCursor: z.string().nullable(),
});

const CountedSchema = z.object({ count: z.number().int(), amountMinor: z.string() });

export const ReconciliationReportSchema = z.object({
  date: z.string(),
  generatedAt: z.string(),
  resultDeadlineSeconds: z.number(),
  payments: z.array(
    z.object({
      providerId: z.string(),
      operator: z.string().nullable(),
      currency: z.string(),
      count: z.number().int(),
      totalMinor: z.string(),
    }),
  ),
  debits: z.array(
    z
      .object({ provider: z.literal('bixi'), operator: z.string(), currency: z.string(), requested: CountedSchema })
      .catchall(CountedSchema.extend({ chargesMinor: z.string().optional(), totalMinor: z.string().optional() }))
      .describe('one group per operator and currency; one member per state reached (approved, declined, unknown, …, awaitingResult)'),
  ),
  ledger: z.array(
    z.object({ currency: z.string(), debitsMinor: z.string(), creditsMinor: z.string(), netMinor: z.string(), balanced: z.boolean() }),
  ),
  flags: z.array(z.looseObject({ kind: z.string() })),
  openSuspense: z.array(SuspenseBucketSchema).describe('UNKNOWN debits still in bixi-suspense at generatedAt, per currency and age'),
  breaks: z
    .object({ provider: BreakSummarySchema, bixi: z.string() })
    .describe("open provider-statement breaks by type; Bixi statements' breaks are kept by payment-debit (see `bixi`)"),
});
