import type { KafkaEnv } from '../kafka-security';
import type { OutboxEnv } from './outbox.config';

/** The validated config fields the outbox reads (every service config that spreads `kafkaEnv` and `outboxEnv` has them). */
export type OutboxServiceConfig = OutboxEnv & KafkaEnv & { DATABASE_URL: string; KAFKA_BROKERS: string[]; LOG_LEVEL: string };

export interface OutboxFeatureOptions {
  /**
   * PostgreSQL NOTIFY channel: the service's writers notify it after their commits (OutboxNotifier), its relays
   * LISTEN on it. One per service, since NOTIFY channels are shared by the whole database.
   */
  channel: string;
  /** Metric names are `<metricPrefix>_outbox_…`, e.g. `ingest_outbox_backlog`. */
  metricPrefix: string;
  /** Kafka client id of the relay's producer: the service's name. */
  clientId: string;
  config: OutboxServiceConfig;
}

/** DI token of the module's OutboxFeatureOptions. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
/** DI token of the config the module's own Kafka client and topic namespace are built from. */
export const OUTBOX_CONFIG = Symbol('OUTBOX_CONFIG');
