import { hasControlCharacters, isJsonDecimal, parseJsonExact, toMinorUnits, type Money } from '@mm/contracts';

/** What happened on the wire. Only `not_sent` is safe to retry: nothing reached Bixi. */
export type BixiCallResult =
  | { kind: 'not_sent'; reason: string }
  | { kind: 'no_answer'; reason: string }
  | { kind: 'answered'; status: number; body: string; truncated: boolean };

export interface BixiTransaction {
  bixiTransactionId: string;
  referenceId?: string;
  issuer?: string;
  issuerTransactionId?: string;
  bixiStatus: string;
  charges: Money;
  total: Money;
}

/** The final state one Bixi call leads to. */
export type BixiOutcome =
  | { state: 'APPROVED'; transaction: BixiTransaction }
  | { state: 'DECLINED'; reason: string; bixiStatus?: string; bixiTransactionId?: string }
  | { state: 'FAILED'; reasons: string[] }
  | { state: 'UNKNOWN'; reason: string; bixiStatus?: string; bixiTransactionId?: string };

/** An outcome that says whether money moved: everything but UNKNOWN. */
export type SettledOutcome = Exclude<BixiOutcome, { state: 'UNKNOWN' }>;

const DECLINED_STATUSES = new Set(['declined', 'rejected', 'failed', 'cancelled', 'canceled']);

/**
 * Reads Bixi's answer. Approved needs an id, exact charges/total and `total + charges = amount` (the seed's
 * 0.97 + 0.03 = 1.00): money that does not add up cannot be booked, so such an approval is UNKNOWN with the reason; a 2xx we cannot read, a status we do not
 * know, a 3xx or a 5xx may hide a debit, so it is UNKNOWN. A 402 is a decline; other 4xx are our fault and final.
 */
export function outcomeOf(result: Exclude<BixiCallResult, { kind: 'not_sent' }>, amount: Money): BixiOutcome {
  if (result.kind === 'no_answer') return { state: 'UNKNOWN', reason: result.reason };
  const { status, body } = result;
  if (status >= 200 && status < 300) return fromTransaction(body, amount);
  if (status === 402) return { state: 'DECLINED', reason: `Bixi declined (402): ${errorDetails(body).join('; ')}`, bixiStatus: 'http_402' };
  if (status >= 400 && status < 500) return { state: 'FAILED', reasons: [`Bixi refused the request (${status})`, ...errorDetails(body)] };
  return { state: 'UNKNOWN', reason: `Bixi answered ${status}; the debit may or may not have happened` };
}

function fromTransaction(body: string, amount: Money): BixiOutcome {
  let json: unknown;
  try {
    // Numbers stay their exact text (JsonDecimal): 0.97 is read as 97 cents, never through a float.
    json = parseJsonExact(body);
  } catch {
    return { state: 'UNKNOWN', reason: 'Bixi answered 2xx with a body that is not JSON' };
  }
  const data = record(record(json)?.data);
  const a = record(data?.attributes);
  const id = text(data?.id);
  const bixiStatus = text(a?.status)?.toLowerCase();
  if (!a || !bixiStatus) return { state: 'UNKNOWN', reason: 'Bixi answered 2xx without a transaction status', bixiTransactionId: id };
  if (DECLINED_STATUSES.has(bixiStatus))
    return { state: 'DECLINED', reason: `Bixi status ${bixiStatus}`, bixiStatus, bixiTransactionId: id };
  if (bixiStatus !== 'approved')
    return { state: 'UNKNOWN', reason: `Bixi status ${bixiStatus} is not final`, bixiStatus, bixiTransactionId: id };
  try {
    if (!id) throw new Error('no transaction id');
    const currency = text(a.currency) ?? 'USD';
    if (currency !== 'USD') throw new Error(`currency ${currency}`);
    const answered = toMinorUnits(a.amount, 'USD');
    if (answered.amountMinor !== amount.amountMinor) throw new Error(`amount ${answered.amountMinor} differs from ${amount.amountMinor}`);
    const charges = nonNegativeUsd(a.charges, 'charges');
    const total = nonNegativeUsd(a.total, 'total');
    if (BigInt(total.amountMinor) + BigInt(charges.amountMinor) !== BigInt(amount.amountMinor)) {
      throw new Error(`total ${total.amountMinor} + charges ${charges.amountMinor} ≠ amount ${amount.amountMinor} (minor units)`);
    }
    const transaction: BixiTransaction = {
      bixiTransactionId: id,
      referenceId: text(a.referenceId),
      issuer: text(a.issuer),
      issuerTransactionId: text(a.issuerTransactionId),
      bixiStatus,
      charges,
      total,
    };
    return { state: 'APPROVED', transaction };
  } catch (error) {
    return {
      state: 'UNKNOWN',
      reason: `Bixi approved but the answer is unusable: ${(error as Error).message}`,
      bixiStatus,
      bixiTransactionId: id,
    };
  }
}

/** Charges and total may be zero (no fee; everything charged), which toMinorUnits (made for payments) refuses. */
function nonNegativeUsd(value: unknown, name: string): Money {
  if (value === undefined || value === null) throw new Error(`no ${name}`);
  const written = isJsonDecimal(value) || typeof value === 'string' ? String(value).trim() : undefined;
  if (written !== undefined && /^0+(\.0+)?$/.test(written)) return { amountMinor: '0', currency: 'USD' };
  return toMinorUnits(value, 'USD');
}

function errorDetails(body: string): string[] {
  try {
    const errors = record(parseJsonExact(body))?.errors;
    if (Array.isArray(errors)) {
      return errors
        .slice(0, 5)
        .map((e) => [text(record(e)?.code), text(record(e)?.detail)].filter(Boolean).join(': ').slice(0, 300) || 'error');
    }
  } catch {
    // Fall through: a non-JSON error body is summarised by its start.
  }
  return [body.slice(0, 200) || '(empty body)'];
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
/** Bixi's ids as stored text: at most 128 characters, and never a control character PostgreSQL would refuse. */
const text = (v: unknown): string | undefined => {
  const s = typeof v === 'string' ? v : isJsonDecimal(v) ? v.toString() : undefined;
  return s && !hasControlCharacters(s) ? s.slice(0, 128) : undefined;
};
