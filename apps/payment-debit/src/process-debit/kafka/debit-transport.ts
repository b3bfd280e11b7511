import { dlqTopic, ServiceNames, type TopicNamespace, Topics } from '@mm/contracts';
import { KafkaConsumerServer, topicProvisioning } from '@mm/platform';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DebitConfig } from '../../config';

/** payment-debit's consumer: `DEBIT_PARTITIONS_CONCURRENCY` partitions at once, `DEBIT_MAX_IN_FLIGHT` commands overall. */
export function debitTransport(config: DebitConfig, kafka: Kafka, namespace: TopicNamespace, registry: Registry): KafkaConsumerServer {
  return new KafkaConsumerServer({
    kafka,
    namespace,
    groupId: config.DEBIT_CONSUMER_GROUP,
    topics: [Topics.DebitRequested],
    dlqTopic: dlqTopic(ServiceNames.Debit),
    fromBeginning: config.DEBIT_CONSUMER_FROM_BEGINNING,
    consumer: {
      // Bounds the commands held in memory per batch (each becomes a queued task): a backlog must fit the heap budget.
      maxBytesPerPartition: config.DEBIT_MAX_BYTES_PER_PARTITION,
      sessionTimeout: config.DEBIT_SESSION_TIMEOUT_MS,
      heartbeatInterval: Math.min(3000, Math.floor(config.DEBIT_SESSION_TIMEOUT_MS / 3)),
      retry: { retries: 10 },
    },
    partitionsConsumedConcurrently: config.DEBIT_PARTITIONS_CONCURRENCY,
    maxInFlight: config.DEBIT_MAX_IN_FLIGHT,
    poisonMaxAttempts: config.DEBIT_POISON_MAX_ATTEMPTS,
    provisioning: topicProvisioning(config),
    registry,
    metricNames: {
      lag: 'debit_consumer_lag',
      stuck: 'debit_consumer_partition_stuck',
      inFlight: 'debit_commands_in_flight',
      deadLettered: 'debit_dead_lettered_total',
    },
  });
}
