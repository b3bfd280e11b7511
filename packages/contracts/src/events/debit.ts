import { z } from 'zod';
import { envelopeSchema, type Envelope } from '../envelope';
import { MoneySchema } from '../money';
import { safeText } from '../text';

export const DEBIT_REQUESTED = 'mm.debit.requested.v1' as const;
export const DEBIT_APPROVED = 'mm.debit.approved.v1' as const;
export const DEBIT_DECLINED = 'mm.debit.declined.v1' as const;
export const DEBIT_FAILED = 'mm.debit.failed.v1' as const;
export const DEBIT_OUTCOME_UNKNOWN = 'mm.debit.outcome-unknown.v1' as const;
export const DEBIT_EXPIRED = 'mm.debit.expired.v1' as const;
export const DEBIT_OUTCOME_RESOLVED = 'mm.debit.outcome-resolved.v1' as const;

/** Largest amount a debit can carry: PostgreSQL `bigint`, the column every service stores minor units in. */
export const MAX_DEBIT_MINOR = 9_223_372_036_854_775_807n;

export const AccountTypeSchema = z.enum(['mmt', 'bank', 'card', 'wallet', 'trc20']);
export type AccountType = z.infer<typeof AccountTypeSchema>;

/** A USD amount as Bixi takes it: at most two decimals, greater than zero, kept as minor units. */
const UsdMoneySchema = MoneySchema.refine((m) => m.currency === 'USD', 'Bixi debits are in USD')
  .refine(
    // zod runs refinements even after the regex failed: never hand BigInt a string it would throw on.
    (m) => /^[0-9]+$/.test(m.amountMinor) && BigInt(m.amountMinor) > 0n,
    'amount must be greater than zero',
  )
  .refine(
    // Beyond bigint the command could not even be stored: refused here rather than by the database, forever.
    (m) => !/^[0-9]+$/.test(m.amountMinor) || BigInt(m.amountMinor) <= MAX_DEBIT_MINOR,
    `amount must be at most ${MAX_DEBIT_MINOR} minor units`,
  );

/**
 * Command from an internal service: debit a customer's account through Bixi. `commandId` is the idempotency key.
 * `expiresAt` is the sender's deadline; payment-debit also applies its own maximum age from the envelope's `time`,
 * and never calls Bixi for a command past the earlier of the two (it becomes `mm.debit.expired.v1`).
 */
export const DebitRequestedSchema = z.object({
  commandId: z.uuid(),
  accountNumber: safeText(1, 64),
  accountType: AccountTypeSchema,
  amount: UsdMoneySchema,
  receiptId: safeText(1, 11),
  description: safeText(1, 512),
  /**
   * The requester: the internal service or team that asks for the debit (e.g. `billing`, `mm-cli`). payment-debit's
   * per-requester limits count by it; commands without one all count under one "unnamed requester", so leaving it
   * out never escapes that limit.
   */
  requestedBy: safeText(1, 128)
    .optional()
    .describe(
      'the requester: the internal service or team asking for the debit; per-requester debit limits count by it, and commands without one all count under one unnamed requester',
    ),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
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
/** The command reached payment-debit after its deadline: Bixi was never called, nothing was debited. */
export const DebitExpiredSchema = z.object({
  ...resultBase,
  deadline: z.iso.datetime({ offset: true }),
  reason: z.string().min(1).max(1024),
});

/**
 * How an UNKNOWN outcome was settled (SPEC §9): the Bixi call answered after the sweep had given up on it, one
 * unambiguous Bixi statement line matched it, or two operators (maker proposes, checker approves) decided it.
 */
export const ResolutionSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('late-answer'), answeredAt: z.iso.datetime({ offset: true }), evidence: z.string().min(1).max(2048) }),
  z.object({
    kind: z.literal('statement'),
    statementId: z.string().min(1).max(128),
    lineKey: z.string().min(1).max(256),
    evidence: z.string().min(1).max(2048),
  }),
  z
    .object({
      kind: z.literal('operator'),
      makerId: z.string().min(1).max(128),
      checkerId: z.string().min(1).max(128),
      proposalId: z.string().min(1).max(128),
      evidence: z.string().min(1).max(2048),
    })
    .refine((o) => o.makerId !== o.checkerId, 'the checker must not be the maker'),
]);
export type ResolutionSource = z.infer<typeof ResolutionSourceSchema>;

/** An UNKNOWN debit settled: DEBITED (with Bixi's transaction, as DebitApproved carries it) or NOT_DEBITED. */
export const DebitOutcomeResolvedSchema = z.discriminatedUnion('outcome', [
  z.object({ ...resultBase, outcome: z.literal('DEBITED'), resolution: ResolutionSourceSchema, ...BixiTransactionSchema.shape }),
  z.object({
    ...resultBase,
    outcome: z.literal('NOT_DEBITED'),
    resolution: ResolutionSourceSchema,
    reason: z.string().min(1).max(1024),
    bixiStatus: z.string().max(64).optional(),
    bixiTransactionId: z.string().max(128).optional(),
  }),
]);

export type DebitApproved = z.infer<typeof DebitApprovedSchema>;
export type DebitDeclined = z.infer<typeof DebitDeclinedSchema>;
export type DebitFailed = z.infer<typeof DebitFailedSchema>;
export type DebitOutcomeUnknown = z.infer<typeof DebitOutcomeUnknownSchema>;
export type DebitExpired = z.infer<typeof DebitExpiredSchema>;
export type DebitOutcomeResolved = z.infer<typeof DebitOutcomeResolvedSchema>;

export const DebitApprovedEventSchema = envelopeSchema(DEBIT_APPROVED, DebitApprovedSchema);
export const DebitDeclinedEventSchema = envelopeSchema(DEBIT_DECLINED, DebitDeclinedSchema);
export const DebitFailedEventSchema = envelopeSchema(DEBIT_FAILED, DebitFailedSchema);
export const DebitOutcomeUnknownEventSchema = envelopeSchema(DEBIT_OUTCOME_UNKNOWN, DebitOutcomeUnknownSchema);
export const DebitExpiredEventSchema = envelopeSchema(DEBIT_EXPIRED, DebitExpiredSchema);
export const DebitOutcomeResolvedEventSchema = envelopeSchema(DEBIT_OUTCOME_RESOLVED, DebitOutcomeResolvedSchema);

export type DebitApprovedEvent = Envelope<typeof DEBIT_APPROVED, DebitApproved>;
export type DebitDeclinedEvent = Envelope<typeof DEBIT_DECLINED, DebitDeclined>;
export type DebitFailedEvent = Envelope<typeof DEBIT_FAILED, DebitFailed>;
export type DebitOutcomeUnknownEvent = Envelope<typeof DEBIT_OUTCOME_UNKNOWN, DebitOutcomeUnknown>;
export type DebitExpiredEvent = Envelope<typeof DEBIT_EXPIRED, DebitExpired>;
export type DebitOutcomeResolvedEvent = Envelope<typeof DEBIT_OUTCOME_RESOLVED, DebitOutcomeResolved>;
export type DebitResultEvent =
  DebitApprovedEvent | DebitDeclinedEvent | DebitFailedEvent | DebitOutcomeUnknownEvent | DebitExpiredEvent | DebitOutcomeResolvedEvent;
