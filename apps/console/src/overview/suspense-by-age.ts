import { SUSPENSE_AGE_BUCKETS, type Overview, type OpenSuspense } from '@mm/contracts';

type AgeRow = NonNullable<Overview['suspenseByAge']>[number];

/**
 * The ledger's open suspense per currency and age as one row per age bucket, youngest first, every bucket present
 * (an empty one with count 0) so the panel's bars keep their places; the amounts stay per currency, never added across.
 */
export function suspenseByAge(byAge: OpenSuspense['byAge']): AgeRow[] {
  return SUSPENSE_AGE_BUCKETS.map((age) => {
    const rows = byAge.filter((b) => b.age === age);
    return {
      age,
      count: rows.reduce((n, b) => n + b.count, 0),
      amounts: rows.map((b) => ({ currency: b.currency, amountMinor: b.amountMinor })),
    };
  });
}
