import { z } from 'zod';
import { envelopeSchema, type Envelope } from '../envelope';
import { MoneySchema } from '../money';
import { safeText } from '../text';

export const LEDGER_CORRECTION_APPROVED = 'mm.ledger.correction-approved.v1' as const;

/** The event types a correction may reverse: a booked payment, an approved debit, an UNKNOWN debit resolved as debited. */
export const CORRECTABLE_EVENT_TYPES = ['mm.payment.received.v1', 'mm.debit.approved.v1', 'mm.debit.outcome-resolved.v1'] as const;
export const CorrectableEventTypeSchema = z.enum(CORRECTABLE_EVENT_TYPES);

/** A positive amount in minor units (the reversal of a correction is never zero or negative). */
export const PositiveMoneySchema = MoneySchema.refine(
  (m) => /^[1-9][0-9]*$/.test(m.amountMinor) && BigInt(m.amountMinor) <= 9_223_372_036_854_775_807n,
  'amount must be a whole number of minor units greater than zero (at most a PostgreSQL bigint)',
);

/**
 * A correction two operators agreed on (SPEC §9): a maker proposed reversing `amount` of the original event's entry, a
 * different checker approved it. Published by the ledger only, through its own outbox; the ledger books it like any
 * other event (the reverse postings of the original entry, for `amount`), so the replay tool rebuilds it.
 */
export const CorrectionApprovedSchema = z
  .object({
    correctionId: z.uuid(),
    proposalId: z.uuid(),
    originalEventId: safeText(1, 128),
    originalEventType: CorrectableEventTypeSchema,
    amount: PositiveMoneySchema,
    reason: safeText(1, 1024),
    makerId: safeText(1, 128),
    checkerId: safeText(1, 128),
  })
  .refine((c) => c.makerId !== c.checkerId, 'the checker must not be the maker');
export type CorrectionApproved = z.infer<typeof CorrectionApprovedSchema>;
export const CorrectionApprovedEventSchema = envelopeSchema(LEDGER_CORRECTION_APPROVED, CorrectionApprovedSchema);
export type CorrectionApprovedEvent = Envelope<typeof LEDGER_CORRECTION_APPROVED, CorrectionApproved>;
