/** Every Kafka topic of mm. Names live here only. */
export const Topics = {
  PaymentReceived: 'mm.payment.received.v1',
  DebitRequested: 'mm.debit.requested.v1',
  DebitResult: 'mm.debit.result.v1',
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
  { topic: dlqTopic(ServiceNames.Ingest), numPartitions: 1 },
  { topic: dlqTopic(ServiceNames.Debit), numPartitions: 1 },
  { topic: dlqTopic(ServiceNames.Ledger), numPartitions: 1 },
];
