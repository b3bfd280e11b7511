import { z } from 'zod';
import { MoneySchema } from '../money';

/** How long an UNKNOWN debit has been waiting for its real outcome. */
export const SUSPENSE_AGE_BUCKETS = ['<1h', '1-24h', '1-7d', '>7d'] as const;
export const SuspenseAgeBucketSchema = z.enum(SUSPENSE_AGE_BUCKETS);
export type SuspenseAgeBucket = z.infer<typeof SuspenseAgeBucketSchema>;

/** One open UNKNOWN debit: booked into `bixi-suspense`, not yet resolved. */
export const OpenSuspenseItemSchema = z.object({
  commandId: z.string(),
  account: z.string().describe('the payer account number'),
  accountType: z.string(),
  amount: MoneySchema,
  since: z.iso.datetime({ offset: true }).describe('the time of the outcome-unknown event'),
  ageSeconds: z.number().int().nonnegative(),
  age: SuspenseAgeBucketSchema,
});

const CountedMoney = z.object({ count: z.number().int().nonnegative(), amountMinor: z.string() });

/** Open suspense per currency and age bucket (the daily report's block). */
export const SuspenseBucketSchema = CountedMoney.extend({ currency: z.string(), age: SuspenseAgeBucketSchema });

/**
 * `GET /v1/suspense`: the open UNKNOWN debits, oldest first (`?limit&cursor`), with the totals of every open one per
 * currency and per currency and age, as of `asOf`.
 */
export const OpenSuspenseSchema = z.object({
  asOf: z.iso.datetime({ offset: true }),
  items: z.array(OpenSuspenseItemSchema),
  nextCursor: z.string().nullable(),
  totals: z.array(CountedMoney.extend({ currency: z.string() })),
  byAge: z.array(SuspenseBucketSchema),
});
export type OpenSuspense = z.infer<typeof OpenSuspenseSchema>;
