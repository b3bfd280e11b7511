import type { CorrectionApprovedEvent, MmEvent } from '@mm/contracts';
import type { Booking } from '../postings/chart-of-accounts';
import { reversal } from './reversal';

/**
 * The journal lines of an approved correction (the consumer's and the replay's one rule), or why it cannot be booked:
 * its original must be in the ledger, of the type the correction names, and the corrections of it booked so far
 * (`reversed`) plus this one must stay within what the original can give back. A forged or replayed event can therefore
 * never reverse more than the original, whatever its signatures.
 */
export function bookCorrection(correction: CorrectionApprovedEvent, original: MmEvent | undefined, reversed: bigint): Booking {
  const d = correction.data;
  if (!original) return { ok: false, reason: `correction ${d.correctionId}: original event ${d.originalEventId} is not in the ledger` };
  if (original.type !== d.originalEventType) {
    return { ok: false, reason: `correction ${d.correctionId}: original event is a ${original.type}, not a ${d.originalEventType}` };
  }
  const r = reversal(original, d.amount, reversed);
  return r.ok ? r : { ok: false, reason: `correction ${d.correctionId} refused (${r.code}): ${r.reason}` };
}
