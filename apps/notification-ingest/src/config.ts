import { databaseRoleConfig, env, httpEnv, kafkaEnv, kafkaRules, loadConfig, outboxEnv } from '@mm/platform';
import { z } from 'zod';

export const IngestConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    ...httpEnv({ port: 3001, accessLog: false }),
    DATABASE_URL: env.databaseUrl(),
    ...databaseRoleConfig,
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default('ingest'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(16),
    KAFKA_BROKERS: env.brokers(),
    ...kafkaEnv,
    INGEST_CREDENTIALS_FILE: z.string().min(1).optional(),
    INGEST_CREDENTIALS: z.string().min(2).optional(),
    INGEST_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(16 * 1024),
    INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(200),
    INGEST_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    // Notifications waiting for a statement slot; beyond it requests get 503 + Retry-After (bounded memory and latency).
    INGEST_QUEUE_MAX: z.coerce.number().int().min(0).max(100_000).default(1000),
    ...outboxEnv,
    INGEST_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(200),
    INGEST_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(400),
  })
  .refine((c) => c.INGEST_CREDENTIALS_FILE || c.INGEST_CREDENTIALS, {
    message: 'set INGEST_CREDENTIALS_FILE (path to a JSON file) or INGEST_CREDENTIALS (the JSON itself)',
    path: ['INGEST_CREDENTIALS_FILE'],
  })
  .superRefine(kafkaRules);

export type IngestConfig = z.infer<typeof IngestConfigSchema>;
export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
export const loadIngestConfig = (source: NodeJS.ProcessEnv = process.env): IngestConfig => loadConfig(IngestConfigSchema, source);
