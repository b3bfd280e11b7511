import type { BreakType } from '@mm/contracts';
import type { StatementRow } from './read-statement';

/** A payment in our books (a stored `mm.payment.received.v1`), as matching compares it. */
export interface BookPayment {
  eventId: string;
  paymentId: string;
  providerId: string;
  transactionId: string;
  amountMinor: string;
  currency: string;
  msisdn: string;
  time: string;
}

/** A line an earlier statement already holds for the same transaction. */
export interface StoredLine {
  statementId: string;
  row: Record<string, string>;
  amountMinor: string;
  currency: string;
}

export interface FoundBreak {
  type: BreakType;
  /** One break per type and transaction, whichever statement finds it first. */
  key: string;
  statementRows: Record<string, string>[];
  bookRows: Record<string, string>[];
  detail: string;
}

export interface MatchInput {
  rows: StatementRow[];
  /** Our payments for the statement's transactions (by provider and transaction id). */
  payments: BookPayment[];
  /** Lines of earlier statements for the statement's transactions. */
  stored: StoredLine[];
  /** Our payments of the statement's providers and days that no statement lists (this one included). */
  unlisted: BookPayment[];
}

export interface MatchResult {
  /** The lines to store: the first of each transaction not held already. */
  newRows: StatementRow[];
  breaks: FoundBreak[];
}

export const transactionKey = (providerId: string, transactionId: string) => JSON.stringify([providerId, transactionId]);

export const bookRow = (p: BookPayment): Record<string, string> => ({ ...p });
const statementRow = (r: StatementRow): Record<string, string> => ({ line: String(r.lineNo), ...r.row });

const groupBy = <T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
};

/**
 * Compares a statement with the books, transaction by transaction (SPEC §9): a transaction listed twice (on this
 * statement, or differently on an earlier one) or booked twice is a DUPLICATE; a line with no payment is
 * MISSING_IN_BOOKS; a payment whose amount or currency differs is an AMOUNT_MISMATCH; a payment of the statement's
 * providers and days that no statement lists is MISSING_IN_STATEMENT. A line an earlier statement already holds,
 * identically, is neither stored again nor matched again.
 */
export function matchStatement(input: MatchInput): MatchResult {
  const payments = groupBy(input.payments, (p) => transactionKey(p.providerId, p.transactionId));
  const stored = new Map(input.stored.map((s) => [transactionKey(s.row.providerId ?? '', s.row.transactionId ?? ''), s]));
  const newRows: StatementRow[] = [];
  const breaks: FoundBreak[] = [];
  for (const [key, rows] of groupBy(input.rows, (r) => transactionKey(r.line.providerId, r.line.transactionId))) {
    const first = rows[0]!;
    const booked = payments.get(key) ?? [];
    const earlier = stored.get(key);
    const found = (type: BreakType, detail: string, statementRows = rows.map(statementRow)) =>
      breaks.push({ type, key, statementRows, bookRows: booked.map(bookRow), detail });
    const what = `transaction ${first.line.transactionId} of provider ${first.line.providerId}`;
    if (!earlier) newRows.push(first);
    if (rows.length > 1) {
      found('DUPLICATE', `${what} is listed ${rows.length} times on the statement`);
      continue;
    }
    if (earlier) {
      if (earlier.amountMinor !== first.line.amount.amountMinor || earlier.currency !== first.line.amount.currency) {
        const rowsBoth = [{ statementId: earlier.statementId, ...earlier.row }, statementRow(first)];
        found('DUPLICATE', `${what} is already on statement ${earlier.statementId} with another amount`, rowsBoth);
      }
      continue;
    }
    if (booked.length === 0) found('MISSING_IN_BOOKS', `${what} is on the statement but no payment of it was booked`);
    else if (booked.length > 1) found('DUPLICATE', `${what} was booked ${booked.length} times`);
    else if (booked[0]!.amountMinor !== first.line.amount.amountMinor || booked[0]!.currency !== first.line.amount.currency) {
      const b = booked[0]!;
      found(
        'AMOUNT_MISMATCH',
        `${what}: statement ${first.line.amount.amountMinor} ${first.line.amount.currency}, books ${b.amountMinor} ${b.currency} (minor units)`,
      );
    }
  }
  for (const p of input.unlisted) {
    breaks.push({
      type: 'MISSING_IN_STATEMENT',
      key: transactionKey(p.providerId, p.transactionId),
      statementRows: [],
      bookRows: [bookRow(p)],
      detail: `payment ${p.paymentId} (transaction ${p.transactionId} of provider ${p.providerId}) was booked but is on no statement of its day`,
    });
  }
  return { newRows, breaks };
}
