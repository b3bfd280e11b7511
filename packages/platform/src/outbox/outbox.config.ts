import { z } from 'zod';

/** The outbox's tunables, spread into the config schema of every service that has an outbox. */
export const outboxEnv = {
  /** Rows claimed and published per relay round. */
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Polling fallback when no NOTIFY arrives (a missed wake-up costs at most this long). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Published rows are kept this long (for inspection), then purged; unsent rows are never purged. */
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(72),
  OUTBOX_PURGE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  OUTBOX_PURGE_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
};

export type OutboxEnv = { [K in keyof typeof outboxEnv]: z.infer<(typeof outboxEnv)[K]> };
