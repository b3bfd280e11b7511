import type { ProposeResolution, ResolutionProposal } from '@mm/contracts';
import type { SettledOutcome } from '../debits/bixi-outcome';
import type { StoredDebit } from '../debits/debit.repository';

export type { ProposeResolution, ResolutionProposal };

/** Why a resolution step was refused; the HTTP adapter maps each code to its status. */
export type ResolutionErrorCode =
  | 'COMMAND_NOT_FOUND'
  | 'PROPOSAL_NOT_FOUND'
  | 'NOT_UNKNOWN'
  | 'OPEN_PROPOSAL'
  | 'MONEY_MISMATCH'
  | 'OWN_PROPOSAL'
  | 'ALREADY_DECIDED'
  | 'NO_LONGER_UNKNOWN';

export class ResolutionError extends Error {
  constructor(
    readonly code: ResolutionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ResolutionError';
  }
}

/**
 * Whether `draft` may be proposed for `command`: the command must be UNKNOWN, and a DEBITED proposal's money must add
 * up exactly — charges and total in the command's currency, `total + charges = amount` — as an approval by Bixi must.
 */
export function refusalOf(command: StoredDebit, draft: ProposeResolution): ResolutionError | undefined {
  if (command.state !== 'UNKNOWN') {
    return new ResolutionError('NOT_UNKNOWN', `debit ${command.commandId} is ${command.state}, not UNKNOWN: there is nothing to resolve`);
  }
  if (draft.outcome !== 'DEBITED') return undefined;
  const amount = command.amount!;
  if (draft.charges.currency !== amount.currency || draft.total.currency !== amount.currency) {
    return new ResolutionError('MONEY_MISMATCH', `charges and total must be in ${amount.currency}, the debit's currency`);
  }
  if (BigInt(draft.total.amountMinor) + BigInt(draft.charges.amountMinor) !== BigInt(amount.amountMinor)) {
    return new ResolutionError(
      'MONEY_MISMATCH',
      `total ${draft.total.amountMinor} + charges ${draft.charges.amountMinor} must equal the amount ${amount.amountMinor} (minor units)`,
    );
  }
  return undefined;
}

/** The outcome an approved proposal settles the command with (what resolveUnknown stores). */
export function settledOutcomeOf(p: ResolutionProposal): SettledOutcome {
  if (p.outcome === 'DEBITED') {
    return {
      state: 'APPROVED',
      transaction: {
        bixiTransactionId: p.bixiTransactionId!,
        referenceId: p.referenceId ?? undefined,
        issuer: p.issuer ?? undefined,
        issuerTransactionId: p.issuerTransactionId ?? undefined,
        bixiStatus: 'approved',
        charges: p.charges!,
        total: p.total!,
      },
    };
  }
  return {
    state: 'DECLINED',
    reason: `not debited (maker-checker): ${p.reason ?? ''}`.slice(0, 1024),
    ...(p.bixiTransactionId ? { bixiTransactionId: p.bixiTransactionId } : {}),
  };
}

/** The maker's claim and evidence as the resolution event carries it. */
export const evidenceOf = (p: ResolutionProposal): string => `${p.outcome} proposed by ${p.makerId}: ${p.evidence}`.slice(0, 2048);
