import type { Money, MmEvent } from '@mm/contracts';
import { Accounts, book, type PostingLine } from '../postings/chart-of-accounts';

/** Why a reversal cannot be made; the HTTP adapter maps each code to a status. */
export type ReversalRefusal = 'NOT_CORRECTABLE' | 'CURRENCY_MISMATCH' | 'EXCEEDS_REMAINING';

export type Reversal = { ok: true; lines: PostingLine[] } | { ok: false; code: ReversalRefusal; reason: string };

const refuse = (code: ReversalRefusal, reason: string): Reversal => ({ ok: false, code, reason });

/** What an original entry moved: the amount taken in, and for a debit the part that went to Bixi settlement. */
interface Original {
  kind: 'payment' | 'debit';
  amount: bigint;
  settlement: bigint;
  currency: string;
  /** Its postings, with a resolved debit's suspense line read as the payer's (see `reversal`). */
  lines: PostingLine[];
}

function originalOf(event: MmEvent): Original | string {
  const booking = book(event);
  if (!booking.ok) return `the original event cannot be booked: ${booking.reason}`;
  switch (event.type) {
    case 'mm.payment.received.v1': {
      const amount = BigInt(event.data.amount.amountMinor);
      return { kind: 'payment', amount, settlement: amount, currency: event.data.amount.currency, lines: booking.lines };
    }
    case 'mm.debit.approved.v1':
    case 'mm.debit.outcome-resolved.v1': {
      if (event.type === 'mm.debit.outcome-resolved.v1' && event.data.outcome !== 'DEBITED') {
        return 'a debit resolved as not debited moved nothing to reverse';
      }
      const payer = Accounts.payer(event.data.accountNumber);
      const lines = booking.lines.map((l) => (l.accountId === Accounts.bixiSuspense ? { ...l, accountId: payer } : l));
      const settlement = lines.find((l) => l.accountId === Accounts.bixiSettlement)?.amountMinor ?? 0n;
      return { kind: 'debit', amount: BigInt(event.data.amount.amountMinor), settlement, currency: event.data.amount.currency, lines };
    }
    default:
      return `an event of type ${event.type} is not a payment or a debit that took money: it cannot be corrected`;
  }
}

/**
 * The most a new correction of `original` may reverse once `reversed` minor units were: for a payment, its amount less
 * what was reversed; for a debit, its whole amount while nothing was reversed (a full reversal), else what is left of
 * its settlement share (partial reversals never touch the charges).
 */
function remainingToReverse(original: Original, reversed: bigint): bigint {
  if (original.kind === 'payment') return original.amount - reversed;
  if (reversed === 0n) return original.amount;
  return original.settlement > reversed ? original.settlement - reversed : 0n;
}

/**
 * The reverse postings of (part of) an original entry (README, "Chart of accounts"), given what corrections already
 * reversed of it. Exact or refused, never rounded:
 * - a payment: `amount` back from provider clearing to the customer (a full reversal is the same two lines, whole);
 * - a debit (approved, or UNKNOWN resolved as debited): the full amount, when nothing was reversed before, reverses every
 *   posting (settlement, charges, payer); a partial amount returns `amount` to the payer from settlement only, charges
 *   untouched, and all partial reversals together stay within the settlement share. A resolved debit's reversal credits
 *   the payer, not suspense: the UNKNOWN entry had already moved the money out of the payer's account, and suspense
 *   stays at zero once every UNKNOWN is resolved.
 */
export function reversal(event: MmEvent, amount: Money, reversed: bigint): Reversal {
  const original = originalOf(event);
  if (typeof original === 'string') return refuse('NOT_CORRECTABLE', original);
  if (amount.currency !== original.currency) {
    return refuse('CURRENCY_MISMATCH', `the original is in ${original.currency}, the correction in ${amount.currency}`);
  }
  const value = BigInt(amount.amountMinor);
  const left = remainingToReverse(original, reversed);
  if (value <= 0n || value > left) {
    return refuse(
      'EXCEEDS_REMAINING',
      `${value} minor units cannot be reversed: ${reversed} already were and at most ${left} are left` +
        (original.kind === 'debit' && reversed > 0n ? ' (partial reversals of a debit come out of its settlement share only)' : ''),
    );
  }
  if (value === original.amount && reversed === 0n) {
    return { ok: true, lines: original.lines.map((l) => ({ ...l, amountMinor: -l.amountMinor })) };
  }
  if (original.kind === 'debit' && value > original.settlement - reversed) {
    return refuse(
      'EXCEEDS_REMAINING',
      `a partial reversal of a debit comes out of its settlement share: at most ${original.settlement - reversed} of ` +
        `${original.settlement} minor units are left there (its charges are returned only by a full reversal of ${original.amount})`,
    );
  }
  const [debited, credited] =
    original.kind === 'payment'
      ? [original.lines.find((l) => l.amountMinor > 0n)!, original.lines.find((l) => l.amountMinor < 0n)!]
      : [original.lines.find((l) => l.accountId === Accounts.bixiSettlement)!, original.lines.find((l) => l.amountMinor < 0n)!];
  return {
    ok: true,
    lines: [
      { accountId: debited.accountId, currency: debited.currency, amountMinor: -value },
      { accountId: credited.accountId, currency: credited.currency, amountMinor: value },
    ],
  };
}
