import { z } from 'zod';
import { envelopeSchema, type Envelope } from '../envelope';
import { MoneySchema } from '../money';

export const DEBIT_REQUESTED = 'mm.debit.requested.v1' as const;
export const DEBIT_APPROVED = 'mm.debit.approved.v1' as const;
export const DEBIT_DECLINED = 'mm.debit.declined.v1' as const;
export const DEBIT_FAILED = 'mm.debit.failed.v1' as const;
export const DEBIT_OUTCOME_UNKNOWN = 'mm.debit.outcome-unknown.v1' as const;

export const AccountTypeSchema = z.enum(['mmt', 'bank', 'card', 'wallet', 'trc20']);
export type AccountType = z.infer<typeof AccountTypeSchema>;

/** A USD amount as Bixi takes it: at most two decimals, greater than zero, kept as minor units. */
const UsdMoneySchema = MoneySchema.refine((m) => m.currency === 'USD', 'Bixi debits are in USD').refine(
  // zod runs refinements even after the regex failed: never hand BigInt a string it would throw on.
  (m) => /^[0-9]+$/.test(m.amountMinor) && BigInt(m.amountMinor) > 0n,
  'amount must be greater than zero',
);

/** Command from an internal service: debit a customer's account through Bixi. `commandId` is the idempotency key. */
export const DebitRequestedSchema = z.object({
  commandId: z.uuid(),
  accountNumber: z.string().min(1).max(64),
  accountType: AccountTypeSchema,
  amount: UsdMoneySchema,
  receiptId: z.string().min(1).max(11),
  description: z.string().min(1).max(512),
  requestedBy: z.string().min(1).max(128).optional(),
});
export type DebitRequested = z.infer<typeof DebitRequestedSchema>;
export const DebitRequestedEventSchema = envelopeSchema(DEBIT_REQUESTED, DebitRequestedSchema);
export type DebitRequestedEvent = Envelope<typeof DEBIT_REQUESTED, DebitRequested>;

const BixiTransactionSchema = z.object({
  bixiTransactionId: z.string().min(1).max(128),
  referenceId: z.string().max(128).optional(),
  issuer: z.string().max(128).optional(),
  issuerTransactionId: z.string().max(128).optional(),
  charges: MoneySchema,
  total: MoneySchema,
});

const resultBase = {
  commandId: z.uuid(),
  accountNumber: z.string().min(1).max(64),
  accountType: AccountTypeSchema,
  amount: MoneySchema,
  receiptId: z.string().min(1).max(11),
};

export const DebitApprovedSchema = z.object({ ...resultBase, ...BixiTransactionSchema.shape });
export const DebitDeclinedSchema = z.object({
  ...resultBase,
  reason: z.string().min(1).max(1024),
  bixiStatus: z.string().max(64).optional(),
  bixiTransactionId: z.string().max(128).optional(),
});
export const DebitFailedSchema = z.object({
  ...resultBase,
  accountNumber: z.string().max(64),
  accountType: z.string().max(32),
  amount: MoneySchema.optional(),
  receiptId: z.string().max(64),
  reasons: z.array(z.string().max(1024)).min(1),
});
export const DebitOutcomeUnknownSchema = z.object({ ...resultBase, reason: z.string().min(1).max(1024) });

export type DebitApproved = z.infer<typeof DebitApprovedSchema>;
export type DebitDeclined = z.infer<typeof DebitDeclinedSchema>;
export type DebitFailed = z.infer<typeof DebitFailedSchema>;
export type DebitOutcomeUnknown = z.infer<typeof DebitOutcomeUnknownSchema>;

export const DebitApprovedEventSchema = envelopeSchema(DEBIT_APPROVED, DebitApprovedSchema);
export const DebitDeclinedEventSchema = envelopeSchema(DEBIT_DECLINED, DebitDeclinedSchema);
export const DebitFailedEventSchema = envelopeSchema(DEBIT_FAILED, DebitFailedSchema);
export const DebitOutcomeUnknownEventSchema = envelopeSchema(DEBIT_OUTCOME_UNKNOWN, DebitOutcomeUnknownSchema);

export type DebitApprovedEvent = Envelope<typeof DEBIT_APPROVED, DebitApproved>;
export type DebitDeclinedEvent = Envelope<typeof DEBIT_DECLINED, DebitDeclined>;
export type DebitFailedEvent = Envelope<typeof DEBIT_FAILED, DebitFailed>;
export type DebitOutcomeUnknownEvent = Envelope<typeof DEBIT_OUTCOME_UNKNOWN, DebitOutcomeUnknown>;
export type DebitResultEvent = DebitApprovedEvent | DebitDeclinedEvent | DebitFailedEvent | DebitOutcomeUnknownEvent;
