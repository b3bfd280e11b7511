import { TopicNamespace } from '@mm/contracts';
import { kafkaSecurityFromEnv } from '@mm/platform/kafka-security';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';

/** A client of `brokers` with the services' TLS/SASL variables (KAFKA_SSL, KAFKA_SASL_*), validated the same way. */
export const kafkaFor = (brokers: string): Kafka =>
  new Kafka({
    clientId: 'mm-cli',
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: logLevel.ERROR,
    retry: { retries: 5 },
    ...kafkaSecurityFromEnv(process.env),
  });

/** `--topic-prefix`: the environment's topic prefix (as the services' KAFKA_TOPIC_PREFIX); topics are named without it. */
export const topicPrefixOption = [
  '--topic-prefix <prefix>',
  "the environment's topic prefix (KAFKA_TOPIC_PREFIX)",
  process.env.KAFKA_TOPIC_PREFIX ?? '',
] as const;
export const namespaceOf = (o: { topicPrefix: string }): TopicNamespace => new TopicNamespace(o.topicPrefix);

export interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads `topic` from the group's committed position (or the start) up to the high watermarks as they were when
 * the read began, then stops: a bounded read for `dlq show` and `dlq replay`. With `commit`, the position advances
 * past each handled message, but never past one that `onMessage` reports as `skipped`: a committed offset covers
 * every message before it, so after the first skip in a partition nothing more of it is committed in this run.
 */
export async function readToEnd(
  kafka: Kafka,
  topic: string,
  groupId: string,
  onMessage: (m: ReadMessage, consumer: Consumer) => Promise<'skipped' | void>,
  options: { limit?: number; commit: boolean },
): Promise<number> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]).finally(
    () => admin.disconnect(),
  );
  const start = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const pending = new Map<number, bigint>();
  for (const e of ends) {
    const from = start.get(e.partition) ?? -1n;
    const low = BigInt(e.low);
    const first = from < low ? low : from;
    if (BigInt(e.high) > first) pending.set(e.partition, BigInt(e.high));
  }
  if (pending.size === 0) return 0;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  let seen = 0;
  const skippedIn = new Set<number>();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        const high = pending.get(partition);
        if (high === undefined || BigInt(message.offset) >= high || (options.limit !== undefined && seen >= options.limit)) return;
        seen += 1;
        if ((await onMessage({ topic: t, partition, message }, consumer)) === 'skipped') skippedIn.add(partition);
        if (options.commit && !skippedIn.has(partition))
          await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        if (BigInt(message.offset) + 1n >= high) pending.delete(partition);
        if (pending.size === 0 || (options.limit !== undefined && seen >= options.limit)) finish();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
