import { z } from 'zod';
import { LEDGER_DEBIT_STATES } from './ledger-api';
import { paymentSearchFields } from './ledger-search';
import { SuspenseBucketSchema } from './suspense';

/** The operators' console (`apps/console`): its browser-facing API under `/api`. Errors are the shared ApiError body. */

export const CONSOLE_ROLES = ['viewer', 'maker', 'checker'] as const;

export const SignInRequestSchema = z
  .object({
    username: z.string().regex(/^[a-z][a-z0-9._-]{1,63}$/, 'must be 2-64 lower-case letters, digits or ._-'),
    password: z.string().min(1).max(256),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const SessionViewSchema = z.object({
  username: z.string(),
  roles: z.array(z.enum(CONSOLE_ROLES)),
  /** Sent back as `X-CSRF-Token` on every write (POST, PUT, PATCH, DELETE) of this session. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

const nullableNumber = z.number().nullable();

export const OverviewSchema = z.object({
  at: z.string(),
  /** Per minute, oldest first: notifications accepted (payments booked) and debits by outcome. */
  flow: z.array(
    z.object({
      minute: z.string(),
      payments: z.number().int(),
      approved: z.number().int(),
      declined: z.number().int(),
      failed: z.number().int(),
      unknown: z.number().int(),
    }),
  ),
  ingestOutbox: z.object({ backlog: nullableNumber, oldestAgeSeconds: nullableNumber }),
  debitOutbox: z.object({ backlog: nullableNumber, oldestAgeSeconds: nullableNumber }),
  /** Summed over partitions; null when the service's metrics could not be read. */
  consumerLag: z.array(z.object({ service: z.string(), lag: nullableNumber })),
  deadLetters: z.array(z.object({ service: z.string(), total: nullableNumber })),
  /** Debit commands waiting for a decision (payment-debit's UNKNOWN queue), counted up to `capped`. */
  unknownDebits: z.object({ count: nullableNumber, capped: z.boolean() }),
  /** Open suspense (UNKNOWN debits not yet resolved) per age bucket, youngest first; null when the ledger could not answer. */
  suspenseByAge: z
    .array(
      z.object({
        age: SuspenseBucketSchema.shape.age,
        count: z.number().int().nonnegative(),
        amounts: z.array(z.object({ currency: z.string(), amountMinor: z.string() })),
      }),
    )
    .nullable(),
  /** Which sources could not be read (the page says so rather than showing zeros). */
  unavailable: z.array(z.string()),
});
export type Overview = z.infer<typeof OverviewSchema>;

/**
 * The console's search: every key of the ledger's payment and debit lists (checked as the ledger checks them, so a
 * malformed value is refused before any call), a UTC day, and the cursor of the previous page.
 */
export const SearchQuerySchema = z
  .object({
    kind: z.enum(['payments', 'debits']).default('payments'),
    ...paymentSearchFields,
    commandId: z.uuid().optional(),
    state: z.enum(LEDGER_DEBIT_STATES).optional(),
    date: z.iso.date().optional(),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuerySchema>;
