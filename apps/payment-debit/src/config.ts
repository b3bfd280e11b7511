import { Topics, TopicSpecs } from '@mm/contracts';
import {
  databaseRoleConfig,
  env,
  httpEnv,
  kafkaEnv,
  kafkaRules,
  loadConfig,
  operatorAuthEnv,
  outboxEnv,
  productionRules,
} from '@mm/platform';
import { z } from 'zod';
import { debitLimitsEnv } from './debits/debit-limits';

const DEBIT_REQUESTED_PARTITIONS = TopicSpecs.find((t) => t.topic === Topics.DebitRequested)?.numPartitions ?? 1;
const ms = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const DebitConfigFields = z.object({
  NODE_ENV: env.nodeEnv(),
  ...httpEnv({ port: 3002, accessLog: true }),
  HTTP_BODY_LIMIT_BYTES: env.bodyLimitBytes(16 * 1024),
  DATABASE_URL: env.databaseUrl(),
  ...databaseRoleConfig,
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('debit'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
  KAFKA_BROKERS: env.brokers(),
  ...kafkaEnv,
  DEBIT_CONSUMER_GROUP: z.string().min(1).max(128).default('payment-debit'),
  /** Where a new consumer group starts: every command ever published (production) or only new ones (shared test broker). */
  DEBIT_CONSUMER_FROM_BEGINNING: env.bool(true),
  /** A command older than this (from its envelope's `time`) is EXPIRED, never sent; `expiresAt` may set it earlier. */
  DEBIT_MAX_COMMAND_AGE_MS: ms(900_000, 1000, 7 * 86_400_000),
  /** Attempts at a command the database refuses as bad data (SQLSTATE class 22/23) before it is dead-lettered. */
  DEBIT_POISON_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** How long the group waits for a silent member (a crashed instance) before giving its partitions away. */
  DEBIT_SESSION_TIMEOUT_MS: ms(30_000, 6000, 300_000),
  /** Bytes fetched per partition per request: bounds the commands held in memory per batch (each a queued task). */
  DEBIT_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
  /** Partitions consumed at the same time; by default every partition of the command topic. */
  DEBIT_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEBIT_REQUESTED_PARTITIONS),
  DEBIT_API_KEY: z.string({ error: 'DEBIT_API_KEY is required' }).min(16, 'DEBIT_API_KEY must have at least 16 characters'),
  BIXI_BASE_URL: z.url({ protocol: /^https?$/, error: 'BIXI_BASE_URL must be an http(s) URL' }),
  BIXI_API_TOKEN: z.string({ error: 'BIXI_API_TOKEN is required' }).min(8, 'BIXI_API_TOKEN must have at least 8 characters'),
  /** Whole Bixi call, connect to last byte; after it the outcome is UNKNOWN. */
  BIXI_TIMEOUT_MS: ms(15_000, 100, 300_000),
  /** A connect that does not finish in time never sent anything, so it may be retried. */
  BIXI_CONNECT_TIMEOUT_MS: ms(3000, 50, 60_000),
  BIXI_CONNECT_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  BIXI_RETRY_BACKOFF_MS: ms(250, 10, 60_000),
  /**
   * Commands a statement stores (arriving) or settles (outcomes) at most, and such statements in flight at once. Two
   * in flight make fuller batches than four: 0.29 transactions per debit instead of 0.40 in the benchmark, and more
   * debits per second (README, Performance).
   */
  DEBIT_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(200),
  DEBIT_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /** Bixi calls in flight at once, across all accounts. */
  DEBIT_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(128),
  DEBIT_SWEEP_INTERVAL_MS: ms(5000, 100, 600_000),
  /** A SUBMITTING row older than BIXI_TIMEOUT_MS plus this was left by a stopped process: it becomes UNKNOWN. */
  DEBIT_STUCK_GRACE_MS: ms(5000, 0, 600_000),
  /** Debit limits over a rolling window, per account and per requester (JSON, see README); unset: no limits. */
  DEBIT_LIMITS: debitLimitsEnv,
  /** Largest Bixi statement accepted by `POST /v1/statements/bixi`, in bytes (read as a stream, refused with 413 beyond). */
  STATEMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** A statement line matches a debit when its `created` is within this of the command's submission to Bixi. */
  STATEMENT_MATCH_WINDOW_MS: ms(900_000, 1000, 7 * 86_400_000),
  ...outboxEnv,
  ...operatorAuthEnv,
});

export const DebitConfigSchema = DebitConfigFields.superRefine(kafkaRules)
  // Under NODE_ENV=production the repository's development key and token, and a plain-HTTP Bixi, are refused.
  .superRefine(productionRules({ secrets: ['DEBIT_API_KEY', 'BIXI_API_TOKEN', 'OPERATOR_JWT_PUBLIC_KEYS'], httpsUrls: ['BIXI_BASE_URL'] }));

export type DebitConfig = z.infer<typeof DebitConfigSchema>;
export const DEBIT_CONFIG = Symbol('DEBIT_CONFIG');
export const loadDebitConfig = (source: NodeJS.ProcessEnv = process.env): DebitConfig => loadConfig(DebitConfigSchema, source);
