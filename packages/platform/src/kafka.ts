import { TopicNamespace } from '@mm/contracts';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { ReadinessCheck } from './health';
import { kafkaClientSecurity, type KafkaEnv } from './kafka-security';
import { createLogger } from './logger';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go through pino as JSON. */
export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger } & Partial<KafkaConfig>): Kafka {
  const { logger, ...config } = options;
  return new Kafka({
    retry: { initialRetryTime: 300, retries: 8 },
    connectionTimeout: 3000,
    ...config,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, ...extra } = log;
        logger[levels[level] ?? 'info']({ kafka: namespace, ...extra }, message);
      },
  });
}

/** Readiness of the broker: an admin metadata round trip, on a long-lived admin client. */
export function kafkaReadiness(kafka: Kafka): ReadinessCheck & { close(): Promise<void> } {
  const admin = kafka.admin({ retry: { retries: 0 } });
  let connected: Promise<void> | undefined;
  return {
    name: 'kafka',
    async check() {
      try {
        connected ??= admin.connect();
        await connected;
        await admin.describeCluster();
      } catch (error) {
        connected = undefined;
        throw error;
      }
    },
    async close() {
      await admin.disconnect().catch(() => undefined);
    },
  };
}

/** DI token of the service's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

/** Provides the service's Kafka client from its validated config (`KAFKA_BROKERS`, `LOG_LEVEL`, `kafkaEnv`'s TLS/SASL). */
export function kafkaProvider(configToken: symbol, clientId: string) {
  return {
    provide: KAFKA,
    inject: [configToken],
    useFactory: (config: { KAFKA_BROKERS: string[]; LOG_LEVEL: string } & KafkaEnv) =>
      createKafka({
        brokers: config.KAFKA_BROKERS,
        clientId,
        logger: createLogger(clientId, config.LOG_LEVEL),
        ...kafkaClientSecurity(config),
      }),
  };
}

/** DI token of the service's TopicNamespace (KAFKA_TOPIC_PREFIX). */
export const TOPICS = Symbol('TOPICS');

/** Provides the service's TopicNamespace from its validated config. */
export function topicNamespaceProvider(configToken: symbol) {
  return {
    provide: TOPICS,
    inject: [configToken],
    useFactory: (config: { KAFKA_TOPIC_PREFIX: string }) => new TopicNamespace(config.KAFKA_TOPIC_PREFIX),
  };
}
