import { z } from 'zod';
import { MoneySchema } from '../money';
import { safeText } from '../text';
import { pageSchema } from './api-error';

/**
 * Maker-checker resolution of UNKNOWN debits (payment-debit, SPEC §9): a maker proposes the real outcome with its
 * evidence, a different checker approves (which books it: `mm.debit.outcome-resolved.v1`, resolution `operator`) or
 * rejects it.
 */
export const RESOLUTION_OUTCOMES = ['DEBITED', 'NOT_DEBITED'] as const;
export const RESOLUTION_STATES = ['PROPOSED', 'APPROVED', 'REJECTED'] as const;
export const ResolutionStateSchema = z.enum(RESOLUTION_STATES);
export type ResolutionState = z.infer<typeof ResolutionStateSchema>;

/** Charges or total: integer minor units, zero allowed (no fee; everything charged), never negative. */
const NonNegativeMoneySchema = MoneySchema.refine((m) => !m.amountMinor.startsWith('-'), 'must not be negative');
const bixiId = safeText(1, 128);
/** Why the maker believes it: where they looked and what they saw (a call with Bixi, a screenshot's reference, …). */
const evidence = safeText(3, 2048).describe('what the maker saw, and where');

/**
 * `POST /v1/debits/:commandId/resolutions`. DEBITED carries Bixi's transaction as Bixi reported it (its ids, charges
 * and total, with `total + charges` equal to the command's amount in its currency); NOT_DEBITED carries the reason.
 */
export const ProposeResolutionSchema = z.discriminatedUnion('outcome', [
  z
    .object({
      outcome: z.literal('DEBITED'),
      bixiTransactionId: bixiId,
      referenceId: bixiId,
      issuerTransactionId: bixiId,
      issuer: bixiId.optional(),
      charges: NonNegativeMoneySchema,
      total: NonNegativeMoneySchema,
      evidence,
    })
    .strict(),
  z
    .object({
      outcome: z.literal('NOT_DEBITED'),
      reason: safeText(3, 1024),
      bixiTransactionId: bixiId.optional(),
      evidence,
    })
    .strict(),
]);
export type ProposeResolution = z.infer<typeof ProposeResolutionSchema>;

/** `POST /v1/resolutions/:proposalId/approve`: the checker may say why. */
export const ApproveResolutionSchema = z.object({ reason: safeText(3, 1024).optional() }).strict();
/** `POST /v1/resolutions/:proposalId/reject`: always with a reason. */
export const RejectResolutionSchema = z.object({ reason: safeText(3, 1024) }).strict();
export type ApproveResolution = z.infer<typeof ApproveResolutionSchema>;
export type RejectResolution = z.infer<typeof RejectResolutionSchema>;

/** A proposal as stored, with its decision once taken. */
export const ResolutionProposalSchema = z.object({
  proposalId: z.string(),
  commandId: z.string(),
  outcome: z.enum(RESOLUTION_OUTCOMES),
  state: ResolutionStateSchema,
  bixiTransactionId: z.string().nullable(),
  referenceId: z.string().nullable(),
  issuerTransactionId: z.string().nullable(),
  issuer: z.string().nullable(),
  charges: MoneySchema.nullable(),
  total: MoneySchema.nullable(),
  reason: z.string().nullable().describe('NOT_DEBITED: why nothing was taken'),
  evidence: z.string(),
  makerId: z.string(),
  checkerId: z.string().nullable(),
  decisionReason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type ResolutionProposal = z.infer<typeof ResolutionProposalSchema>;
export const ResolutionPageSchema = pageSchema(ResolutionProposalSchema);
