import { dlqTopic, ServiceNames, Topics } from '@mm/contracts';
import { env, loadConfig } from '@mm/platform';
import { z } from 'zod';

const topicList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be Kafka topic names, comma-separated')).min(1));

export const LedgerConfigSchema = z.object({
  PORT: env.port(3003),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: env.databaseUrl(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('ledger'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  KAFKA_BROKERS: env.brokers(),
  LEDGER_CONSUMER_GROUP: z.string().min(1).max(128).default('ledger'),
  /** Where a new consumer group starts: every event ever published (production) or only new ones (shared test broker). */
  LEDGER_CONSUMER_FROM_BEGINNING: env.bool(true),
  /** The topics consumed; the contracts' topics unless a deployment (or a test) isolates its own set. */
  LEDGER_TOPICS: topicList.default([Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult]),
  LEDGER_DLQ_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/).default(dlqTopic(ServiceNames.Ledger)),
  /** Bytes fetched per partition per request: bounds one batch (and one transaction). */
  LEDGER_MAX_BYTES_PER_PARTITION: z.coerce.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Partitions whose batches are persisted at the same time (each in its own transaction). */
  LEDGER_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /** A debit request with no result after this long is flagged by the reconciliation report. */
  LEDGER_RESULT_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(900),
  LEDGER_API_KEY: z.string().min(16, 'LEDGER_API_KEY must have at least 16 characters'),
  LOG_LEVEL: env.logLevel(),
  HTTP_ACCESS_LOG: env.bool(true),
  HTTP_REQUEST_TIMEOUT_MS: env.requestTimeoutMs(),
});

export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const loadLedgerConfig = (source: NodeJS.ProcessEnv = process.env): LedgerConfig => loadConfig(LedgerConfigSchema, source);
