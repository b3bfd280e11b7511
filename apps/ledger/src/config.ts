import { dlqTopic, ServiceNames, Topics } from '@mm/contracts';
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

const topicList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be Kafka topic names, comma-separated')).min(1));

/**
 * `{"<event type>": ["<source>", …]}`: where set, an event of that type is booked only when its CloudEvents `source`
 * is one of these or below one (`/mm/notification-ingest` admits `/mm/notification-ingest/providers/200`).
 */
const allowedSources = z
  .string()
  .default('{}')
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^mm\.[a-z0-9.-]+\.v[0-9]+$/, 'keys must be event types'), z.array(z.string().min(1).max(200)).min(1)));
export type AllowedSources = Partial<Record<string, string[]>>;

/** The ledger's variables without the cross-field rules (tools such as the replay CLI pick from it). */
export const LedgerConfigFields = z.object({
  NODE_ENV: env.nodeEnv(),
  ...httpEnv({ port: 3003, accessLog: true }),
  HTTP_BODY_LIMIT_BYTES: env.bodyLimitBytes(64 * 1024),
  DATABASE_URL: env.databaseUrl(),
  ...databaseRoleConfig,
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('ledger'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  KAFKA_BROKERS: env.brokers(),
  ...kafkaEnv,
  LEDGER_CONSUMER_GROUP: z.string().min(1).max(128).default('ledger'),
  /** Where a new consumer group starts: every event ever published (production) or only new ones (shared test broker). */
  LEDGER_CONSUMER_FROM_BEGINNING: env.bool(true),
  /** The logical topics consumed (KAFKA_TOPIC_PREFIX is put in front of each); the contracts' topics by default. */
  LEDGER_TOPICS: topicList.default([Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult, Topics.LedgerCorrection]),
  LEDGER_ALLOWED_SOURCES: allowedSources,
  LEDGER_DLQ_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default(dlqTopic(ServiceNames.Ledger)),
  /** Bytes fetched per partition per request: bounds one batch (and one transaction). */
  LEDGER_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Partitions whose batches are persisted at the same time (each in its own transaction). */
  LEDGER_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /** A debit request with no result after this long is flagged by the reconciliation report. */
  LEDGER_RESULT_DEADLINE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
  /** Largest provider statement accepted by `POST /v1/statements/provider` (streamed; larger → 413). */
  STATEMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  LEDGER_API_KEY: z.string().min(16, 'LEDGER_API_KEY must have at least 16 characters'),
  ...operatorAuthEnv,
  /** The ledger's outbox: approved corrections leave through it on mm.ledger.correction.v1. */
  ...outboxEnv,
});

export const LedgerConfigSchema = LedgerConfigFields.superRefine(kafkaRules)
  // Under NODE_ENV=production the repository's development operator key is refused.
  .superRefine(productionRules({ secrets: ['OPERATOR_JWT_PUBLIC_KEYS'] }));

export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const loadLedgerConfig = (source: NodeJS.ProcessEnv = process.env): LedgerConfig => loadConfig(LedgerConfigSchema, source);
