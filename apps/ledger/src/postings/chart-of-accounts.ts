import type { Currency, Money, MmEvent } from '@mm/contracts';

/**
 * The chart of accounts. Amounts are signed integer minor units: a debit is positive, a credit negative,
 * so every journal entry sums to zero per currency (README.md, "Chart of accounts").
 *   provider-clearing:<providerId>  money a mobile-money provider has collected for us (asset)
 *   customer:<customerId>           what a BBOXX customer has paid in (liability to the customer)
 *   payer:<accountNumber>           a debited account, as seen by us (its debits are credits here)
 *   bixi-settlement                 what Bixi owes us for approved debits, net of charges (asset)
 *   fees:bixi                       Bixi's charges (expense)
 */
export const Accounts = {
  providerClearing: (providerId: string) => `provider-clearing:${providerId}`,
  customer: (customerId: string) => `customer:${customerId}`,
  payer: (accountNumber: string) => `payer:${accountNumber}`,
  bixiSettlement: 'bixi-settlement',
  bixiFees: 'fees:bixi',
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
 * declines, failures, unknown outcomes) book none. An event that passes its schema but would book an
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
    case 'mm.debit.approved.v1': {
      const { amount, charges, total, accountNumber } = event.data;
      if (charges.currency !== amount.currency || total.currency !== amount.currency) {
        return refuse(`approved debit mixes currencies: amount ${amount.currency}, charges ${charges.currency}, total ${total.currency}`);
      }
      const [a, c, t] = [minor(amount), minor(charges), minor(total)];
      if (a <= 0n || a > MAX_MINOR || c < 0n || t < 0n) return refuse('approved debit has a non-positive amount or negative charges/total');
      if (t + c !== a) return refuse(`approved debit does not add up: total ${t} + charges ${c} ≠ amount ${a}`);
      const lines: PostingLine[] = [
        { accountId: Accounts.bixiSettlement, currency: total.currency, amountMinor: t },
        { accountId: Accounts.bixiFees, currency: charges.currency, amountMinor: c },
        { accountId: Accounts.payer(accountNumber), currency: amount.currency, amountMinor: -a },
      ];
      // A zero line carries no money (no charges, or everything charged); the database refuses it.
      return { ok: true, lines: lines.filter((l) => l.amountMinor !== 0n) };
    }
    default:
      return { ok: true, lines: [] };
  }
}

/** True when the lines sum to zero in every currency. */
export function isBalanced(lines: PostingLine[]): boolean {
  const sums = new Map<string, bigint>();
  for (const l of lines) sums.set(l.currency, (sums.get(l.currency) ?? 0n) + l.amountMinor);
  return [...sums.values()].every((v) => v === 0n);
}
