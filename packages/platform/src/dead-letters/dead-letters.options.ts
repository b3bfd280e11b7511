import type { KafkaEnv } from '../kafka-security';

/** The validated config fields the module reads (every service config that spreads `kafkaEnv` has them). */
export type DeadLettersServiceConfig = KafkaEnv & { KAFKA_BROKERS: string[]; LOG_LEVEL: string; KAFKA_TOPIC_PREFIX: string };

export interface DeadLettersFeatureOptions {
  /** The service's name: the inbox's consumer group is `<service>-dead-letters`, replays are marked `<service>:<id>`. */
  service: string;
  /** The service's own DLQ topic(s), logical (the environment's prefix is added). */
  dlqTopics: readonly string[];
  /**
   * The logical topics a letter may be replayed to: the ones the service consumes. A letter naming any other topic
   * is refused (409), so a forged DLQ header cannot make an operator publish to a topic the service does not read.
   */
  replayTopics: readonly string[];
  config: DeadLettersServiceConfig;
}

/** DI token of the module's DeadLettersFeatureOptions. */
export const DEAD_LETTERS_OPTIONS = Symbol('DEAD_LETTERS_OPTIONS');
/** DI token of the config the module's own Kafka client and topic namespace are built from. */
export const DEAD_LETTERS_CONFIG = Symbol('DEAD_LETTERS_CONFIG');
