import { createHash } from 'node:crypto';
import { CurrencySchema, MAX_DEBIT_MINOR, type Money } from '@mm/contracts';
import { z } from 'zod';

/** Minor units as integer text, as every amount is carried (no float ever holds money). */
const minorText = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, 'an amount is integer minor units as text, e.g. "500000"')
  // zod runs refinements even after the regex failed: never hand BigInt a string it would throw on.
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= MAX_DEBIT_MINOR, `at most ${MAX_DEBIT_MINOR} minor units`);

const LimitSchema = z
  .object({
    /** Debits counted in the window, this one included. */
    maxCount: z.number().int().min(0).max(10_000_000).optional(),
    /** Sum of the counted debits' amounts per currency, this one included; a currency not named is not limited. */
    maxAmount: z.partialRecord(CurrencySchema, minorText).optional(),
  })
  .strict()
  .refine((l) => l.maxCount !== undefined || l.maxAmount !== undefined, 'name maxCount, maxAmount or both');

/** `DEBIT_LIMITS` once parsed: a rolling window and at least one of the two scopes. */
export const DebitLimitsSchema = z
  .object({
    windowMs: z
      .number()
      .int()
      .min(1000)
      .max(400 * 86_400_000),
    perAccount: LimitSchema.optional(),
    perRequester: LimitSchema.optional(),
  })
  .strict()
  .refine((l) => l.perAccount !== undefined || l.perRequester !== undefined, 'name perAccount, perRequester or both');
export type DebitLimits = z.infer<typeof DebitLimitsSchema>;
export type Limit = NonNullable<DebitLimits['perAccount']>;

/** The environment variable: JSON, or nothing (unset, empty, `{}`) for no limits at all. */
export const debitLimitsEnv = z
  .string()
  .trim()
  .optional()
  .transform((text, ctx): DebitLimits | null => {
    if (!text) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"windowMs":86400000,"perAccount":{"maxCount":20}}' });
      return z.NEVER;
    }
    if (typeof json === 'object' && json !== null && !Array.isArray(json) && Object.keys(json).length === 0) return null;
    const parsed = DebitLimitsSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` });
    }
    return z.NEVER;
  });

export type LimitScope = 'perAccount' | 'perRequester';

/** What the other counted debits of one scope add up to in the window: their number and their sums per currency. */
export interface Usage {
  count: number;
  amounts: Partial<Record<string, bigint>>;
}

export interface LimitBreach {
  scope: LimitScope;
  measure: 'maxCount' | 'maxAmount';
  /** With the command itself. */
  used: string;
  limit: string;
  currency?: string;
}

/**
 * The first limit the command would exceed, or null: for each configured scope, its count and its currency's sum
 * over the other counted debits in the window plus the command itself, against the limit (equal to it still passes).
 */
export function firstBreach(limits: DebitLimits, usage: Partial<Record<LimitScope, Usage>>, amount: Money): LimitBreach | null {
  for (const scope of ['perAccount', 'perRequester'] as const) {
    const limit = limits[scope];
    if (!limit) continue;
    const others = usage[scope] ?? { count: 0, amounts: {} };
    const count = others.count + 1;
    if (limit.maxCount !== undefined && count > limit.maxCount) {
      return { scope, measure: 'maxCount', used: String(count), limit: String(limit.maxCount) };
    }
    const max = limit.maxAmount?.[amount.currency];
    const sum = (others.amounts[amount.currency] ?? 0n) + BigInt(amount.amountMinor);
    if (max !== undefined && sum > BigInt(max)) {
      return { scope, measure: 'maxAmount', used: String(sum), limit: max, currency: amount.currency };
    }
  }
  return null;
}

/** The reason a command over a limit is DECLINED with: `LIMIT_EXCEEDED: <which limit> <used>/<limit>`. */
export function limitReason(b: LimitBreach, windowMs: number): string {
  const what = b.currency ? `${b.scope}.${b.measure} ${b.currency}` : `${b.scope}.${b.measure}`;
  return `LIMIT_EXCEEDED: ${what} ${b.used}/${b.limit} within ${windowMs} ms`;
}

/**
 * Advisory-lock keys of the command's limited scopes, in ascending order: every claim takes them in this one order,
 * so two claims sharing an account and a requester wait for each other instead of deadlocking. Commands without a
 * requester share one key (the unnamed requester), distinct from every named one.
 */
export function limitLockKeys(limits: DebitLimits, accountNumber: string, requester: string | null): bigint[] {
  const keys: bigint[] = [];
  if (limits.perAccount) keys.push(lockKey(`account\u0000${accountNumber}`));
  if (limits.perRequester) keys.push(lockKey(requester === null ? 'unnamed-requester' : `requester\u0000${requester}`));
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const lockKey = (name: string): bigint => createHash('sha256').update(`mm.debit-limit\u0000${name}`, 'utf8').digest().readBigInt64BE(0);
