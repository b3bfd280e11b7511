/** Bixi's fee on a debit in the sandbox: 3 % of the amount (the seed's 1.00 → 0.03), rounded half up to the cent. */
export const CHARGE_BASIS_POINTS = 300n;

export interface Charges {
  chargesCents: bigint;
  totalCents: bigint;
}

/** Integer cents only: the total is what reaches the merchant, amount minus charges. */
export function computeCharges(amountCents: bigint): Charges {
  if (amountCents <= 0n) throw new RangeError('amount must be positive');
  const chargesCents = (amountCents * CHARGE_BASIS_POINTS + 5000n) / 10000n;
  return { chargesCents, totalCents: amountCents - chargesCents };
}

/** Cents as the JSON number text Bixi answers with (`1`, `0.97`, `12.5`): never through a float. */
export function centsToJsonNumber(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
