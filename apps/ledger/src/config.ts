import { env, loadConfig } from '@mm/platform';
import { z } from 'zod';

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
  LEDGER_API_KEY: z.string().min(16, 'LEDGER_API_KEY must have at least 16 characters'),
  LOG_LEVEL: env.logLevel(),
  HTTP_ACCESS_LOG: env.bool(true),
});

export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const loadLedgerConfig = (source: NodeJS.ProcessEnv = process.env): LedgerConfig => loadConfig(LedgerConfigSchema, source);
