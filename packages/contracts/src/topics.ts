/** Every Kafka topic of mm. Names live here only. */
export const Topics = {
  PaymentReceived: 'mm.payment.received.v1',
  DebitRequested: 'mm.debit.requested.v1',
  DebitResult: 'mm.debit.result.v1',
  /** Corrections approved by two operators; only the ledger writes it (its own outbox). */
  LedgerCorrection: 'mm.ledger.correction.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** The dead-letter topic of one consumer group (one per service). */
export const dlqTopic = (service: string): string => {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(service)) throw new Error(`invalid service name for a DLQ topic: ${service}`);
  return `mm.dlq.${service}.v1`;
};

export const ServiceNames = {
  Ingest: 'notification-ingest',
  Debit: 'payment-debit',
  Ledger: 'ledger',
} as const;

/** Partition counts chosen for a single-broker development cluster; keys keep one account's events ordered. */
export const TopicSpecs: ReadonlyArray<{ topic: string; numPartitions: number }> = [
  { topic: Topics.PaymentReceived, numPartitions: 6 },
  { topic: Topics.DebitRequested, numPartitions: 6 },
  { topic: Topics.DebitResult, numPartitions: 6 },
  { topic: Topics.LedgerCorrection, numPartitions: 3 },
  { topic: dlqTopic(ServiceNames.Ingest), numPartitions: 1 },
  { topic: dlqTopic(ServiceNames.Debit), numPartitions: 1 },
  { topic: dlqTopic(ServiceNames.Ledger), numPartitions: 1 },
];

/**
 * Prefix for one environment's topics and consumer groups: empty for a deployment's own cluster, `test.3f2a9c1e.`
 * for a test suite, `bench.<run>.` for a benchmark. Lower-case segments, each ending in a dot.
 */
export const TOPIC_PREFIX_PATTERN = /^([a-z0-9][a-z0-9-]{0,40}\.){0,4}$/;

/**
 * The names an environment gives the contracts' topics. Code speaks of logical topics (`Topics.DebitResult`);
 * only the Kafka boundary (producers, subscriptions, topic creation) uses the physical name. Environments that share
 * a broker therefore never see each other's events, and a deployment without a prefix uses the contracts' names.
 */
export class TopicNamespace {
  constructor(readonly prefix = '') {
    if (!TOPIC_PREFIX_PATTERN.test(prefix))
      throw new Error(`invalid topic prefix ${JSON.stringify(prefix)}: lower-case segments, each ending in "."`);
  }

  /** Physical topic of a logical one. */
  topic(logical: string): string {
    return this.prefix + logical;
  }

  /** Logical topic of a physical one; undefined when the topic is not in this namespace. */
  logical(physical: string): string | undefined {
    return physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : undefined;
  }

  /** Consumer group id in this namespace. */
  group(id: string): string {
    return this.prefix + id;
  }
}
