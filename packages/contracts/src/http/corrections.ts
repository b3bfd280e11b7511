import { z } from 'zod';
import { CorrectableEventTypeSchema, PositiveMoneySchema } from '../events/correction';
import { safeText } from '../text';
import { pageSchema } from './api-error';

/**
 * The ledger's correction API (SPEC §9): a maker proposes reversing (part of) a booked entry, a different checker
 * approves or rejects it. Approval publishes `mm.ledger.correction-approved.v1`, which the ledger then books.
 */
export const CORRECTION_STATES = ['PROPOSED', 'APPROVED', 'REJECTED'] as const;
export const CorrectionStateSchema = z.enum(CORRECTION_STATES);
export type CorrectionState = z.infer<typeof CorrectionStateSchema>;

/** `POST /v1/corrections` (maker): the original event, how much of it to reverse, and why. */
export const ProposeCorrectionSchema = z
  .object({
    eventId: safeText(1, 128),
    amount: PositiveMoneySchema,
    reason: safeText(1, 1024).refine((r) => r.trim().length > 0, 'reason must not be blank'),
  })
  .strict();
export type ProposeCorrection = z.infer<typeof ProposeCorrectionSchema>;

/** `POST /v1/corrections/:id/reject` (checker): why. */
export const RejectCorrectionSchema = z
  .object({ reason: safeText(1, 1024).refine((r) => r.trim().length > 0, 'reason must not be blank') })
  .strict();
export type RejectCorrection = z.infer<typeof RejectCorrectionSchema>;

export const CorrectionViewSchema = z.object({
  id: z.uuid(),
  state: CorrectionStateSchema,
  originalEventId: z.string(),
  originalEventType: CorrectableEventTypeSchema,
  amount: z.object({ amountMinor: z.string(), currency: z.string() }),
  reason: z.string(),
  makerId: z.string(),
  proposedAt: z.string(),
  checkerId: z.string().nullable(),
  decidedReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  correctionId: z.uuid().nullable().describe('the id of the published mm.ledger.correction-approved.v1 event, once approved'),
});
export type CorrectionView = z.infer<typeof CorrectionViewSchema>;
export const CorrectionPageSchema = pageSchema(CorrectionViewSchema);
