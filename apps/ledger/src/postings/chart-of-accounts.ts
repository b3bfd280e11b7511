import type { Currency, MmEvent } from '@mm/contracts';

/**
 * The chart of accounts. Amounts are signed integer minor units: a debit is positive, a credit negative,
 * so every journal entry sums to zero per currency.
 *   provider-clearing:<providerId>  money a mobile-money provider has collected for us (asset)
 *   customer:<customerId>           what a BBOXX customer has paid in (liability to the customer)
 *   payer:<accountNumber>           a debited mobile-money account (its debits, as seen by us)
 *   bixi-settlement                 what Bixi owes us for approved debits (asset)
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

/** The journal lines an event books. Events that move no money (commands, declines, failures) book none. */
export function postingsFor(event: MmEvent): PostingLine[] {
  switch (event.type) {
    case 'mm.payment.received.v1': {
      const { amount, providerId, customerId } = event.data;
      const minor = BigInt(amount.amountMinor);
      return [
        { accountId: Accounts.providerClearing(providerId), currency: amount.currency, amountMinor: minor },
        { accountId: Accounts.customer(customerId), currency: amount.currency, amountMinor: -minor },
      ];
    }
    case 'mm.debit.approved.v1': {
      const { amount, charges, total, accountNumber } = event.data;
      // A zero line (no charges) books nothing: postings are never zero.
      return [
        { accountId: Accounts.bixiSettlement, currency: total.currency, amountMinor: BigInt(total.amountMinor) },
        { accountId: Accounts.bixiFees, currency: charges.currency, amountMinor: BigInt(charges.amountMinor) },
        { accountId: Accounts.payer(accountNumber), currency: amount.currency, amountMinor: -BigInt(amount.amountMinor) },
      ].filter((line) => line.amountMinor !== 0n);
    }
    default:
      return [];
  }
}

/** True when the lines sum to zero in every currency. */
export function isBalanced(lines: PostingLine[]): boolean {
  const sums = new Map<string, bigint>();
  for (const l of lines) sums.set(l.currency, (sums.get(l.currency) ?? 0n) + l.amountMinor);
  return [...sums.values()].every((v) => v === 0n);
}
