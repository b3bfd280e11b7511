import { z } from 'zod';
import { DebitRequestedSchema } from '../events/debit';
import { MoneySchema } from '../money';
import { pageSchema } from './api-error';

/**
 * payment-debit's HTTP API (`/v1/debits`). The body of `POST /v1/debits` is the DebitRequested command; its
 * `commandId` may come from the `Idempotency-Key` header instead (both must agree when both are given).
 */
export const DebitHttpRequestSchema = DebitRequestedSchema.partial({ commandId: true });

export const DEBIT_COMMAND_STATES = ['RECEIVED', 'SUBMITTING', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN', 'EXPIRED'] as const;

export const DebitAcceptedResponseSchema = z.object({ commandId: z.uuid(), state: z.literal('RECEIVED') });

/** A command as payment-debit stores it (`GET /v1/debits/:commandId`). */
export const StoredDebitSchema = z.object({
  commandId: z.string(),
  state: z.enum(DEBIT_COMMAND_STATES),
  accountNumber: z.string(),
  accountType: z.string(),
  amount: MoneySchema.nullable(),
  receiptId: z.string(),
  description: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  attempts: z.number().int(),
  bixiTransactionId: z.string().nullable(),
  bixiReferenceId: z.string().nullable(),
  bixiIssuer: z.string().nullable(),
  issuerTransactionId: z.string().nullable(),
  bixiStatus: z.string().nullable(),
  charges: MoneySchema.nullable(),
  total: MoneySchema.nullable(),
  reasons: z.array(z.string()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** `GET /v1/debits?state=…&limit&cursor`: a page of commands in one state, in commandId order. */
export const DebitPageSchema = pageSchema(StoredDebitSchema);
