import type { Currency, Money, MmEvent } from '@mm/contracts';

/**
 * The chart of accounts. Amounts are signed integer minor units: a debit is positive, a credit negative,
 * so every journal entry sums to zero per currency (README.md, "Chart of accounts").
 *   provider-clearing:<providerId>  money a mobile-money provider has collected for us (asset)
 *   customer:<customerId>           what a BBOXX customer has paid in (liability to the customer)
 *   payer:<accountNumber>           a debited account, as seen by us (its debits are credits here)
 *   bixi-settlement                 what Bixi owes us for approved debits, net of charges (asset)
 *   fees:bixi                       Bixi's charges (expense)
 *   bixi-suspense                   debits whose outcome is UNKNOWN: maybe taken from the payer, maybe not (SPEC §9);
 *                                   per currency it nets to zero once every UNKNOWN is resolved
 */
export const Accounts = {
  providerClearing: (providerId: string) => `provider-clearing:${providerId}`,
  customer: (customerId: string) => `customer:${customerId}`,
  payer: (accountNumber: string) => `payer:${accountNumber}`,
  bixiSettlement: 'bixi-settlement',
  bixiFees: 'fees:bixi',
  bixiSuspense: 'bixi-suspense',
} as const;

export interface PostingLine {
  accountId: string;
  currency: Currency;
  /** Signed minor units: debit > 0, credit < 0. */
  amountMinor: bigint;
}

export type Booking = { ok: true; lines: PostingLine[] } | { ok: false; reason: string };

/** PostgreSQL `bigint`: an amount beyond it could never be stored, so it is refused before the transaction. */
const MAX_MINOR = 9_223_372_036_854_775_807n;

const minor = (m: Money) => BigInt(m.amountMinor);
const refuse = (reason: string): Booking => ({ ok: false, reason });

/**
 * The journal lines an event books, or why it cannot be booked. Events that move no money (commands,
 * declines, failures, expiries) book none. An UNKNOWN outcome moves the amount from the payer into suspense; its
 * resolution moves it out again, to Bixi settlement and fees (debited) or back to the payer (not debited). An event that passes its schema but would book an
 * impossible entry (zero or negative money, mixed currencies, total + charges ≠ amount) is refused here so
 * that it is dead-lettered with a reason instead of failing its batch's transaction forever.
 */
export function book(event: MmEvent): Booking {
  switch (event.type) {
    case 'mm.payment.received.v1': {
      const { amount, providerId, customerId } = event.data;
      const value = minor(amount);
      if (value <= 0n || value > MAX_MINOR) return refuse(`payment amount ${amount.amountMinor} is not a positive bigint`);
      return {
        ok: true,
        lines: [
          { accountId: Accounts.providerClearing(providerId), currency: amount.currency, amountMinor: value },
          { accountId: Accounts.customer(customerId), currency: amount.currency, amountMinor: -value },
        ],
      };
    }
    case 'mm.debit.approved.v1':
      return debited(event.data, Accounts.payer(event.data.accountNumber), 'approved debit');
    case 'mm.debit.outcome-unknown.v1': {
      const { amount, accountNumber } = event.data;
      const a = minor(amount);
      if (a <= 0n || a > MAX_MINOR) return refuse(`unknown debit amount ${amount.amountMinor} is not a positive bigint`);
      return {
        ok: true,
        lines: [
          { accountId: Accounts.bixiSuspense, currency: amount.currency, amountMinor: a },
          { accountId: Accounts.payer(accountNumber), currency: amount.currency, amountMinor: -a },
        ],
      };
    }
    case 'mm.debit.outcome-resolved.v1': {
      const d = event.data;
      if (d.outcome === 'DEBITED') return debited(d, Accounts.bixiSuspense, 'resolved debit');
      const a = minor(d.amount);
      if (a <= 0n || a > MAX_MINOR) return refuse(`resolved debit amount ${d.amount.amountMinor} is not a positive bigint`);
      return {
        ok: true,
        lines: [
          { accountId: Accounts.payer(d.accountNumber), currency: d.amount.currency, amountMinor: a },
          { accountId: Accounts.bixiSuspense, currency: d.amount.currency, amountMinor: -a },
        ],
      };
    }
    case 'mm.ledger.correction-approved.v1':
      // Its lines depend on its original entry and on the corrections booked before it: correct-entry books it.
      return refuse('a correction is booked against its original entry (correct-entry), never on its own');
    default:
      return { ok: true, lines: [] };
  }
}

/**
 * Money Bixi took: settlement (`total`) and fees (`charges`) debited, `from` credited with the amount — the payer
 * for a direct approval, suspense for an UNKNOWN resolved as debited.
 */
function debited(d: { amount: Money; charges: Money; total: Money }, from: string, what: string): Booking {
  const { amount, charges, total } = d;
  if (charges.currency !== amount.currency || total.currency !== amount.currency) {
    return refuse(`${what} mixes currencies: amount ${amount.currency}, charges ${charges.currency}, total ${total.currency}`);
  }
  const [a, c, t] = [minor(amount), minor(charges), minor(total)];
  if (a <= 0n || a > MAX_MINOR || c < 0n || t < 0n) return refuse(`${what} has a non-positive amount or negative charges/total`);
  if (t + c !== a) return refuse(`${what} does not add up: total ${t} + charges ${c} ≠ amount ${a}`);
  const lines: PostingLine[] = [
    { accountId: Accounts.bixiSettlement, currency: total.currency, amountMinor: t },
    { accountId: Accounts.bixiFees, currency: charges.currency, amountMinor: c },
    { accountId: from, currency: amount.currency, amountMinor: -a },
  ];
  // A zero line carries no money (no charges, or everything charged); the database refuses it.
  return { ok: true, lines: lines.filter((l) => l.amountMinor !== 0n) };
}

/** True when the lines sum to zero in every currency. */
export function isBalanced(lines: PostingLine[]): boolean {
  const sums = new Map<string, bigint>();
  for (const l of lines) sums.set(l.currency, (sums.get(l.currency) ?? 0n) + l.amountMinor);
  return [...sums.values()].every((v) => v === 0n);
}
