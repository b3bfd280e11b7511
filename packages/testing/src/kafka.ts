import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type ITopicConfig, type KafkaMessage } from 'kafkajs';

export const testBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export const testKafka = (clientId = 'mm-test'): Kafka =>
  new Kafka({ clientId, brokers: testBrokers(), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });

export const testProducer = (kafka: Kafka) => kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });

/**
 * This test file's topic prefix (set per file by the jest setup `scripts/jest-kafka-namespace.js`). Services started
 * by the file inherit it through the environment. Refuses to run without one: tests never touch the unprefixed
 * topics of the development stack.
 */
export function testTopicPrefix(): string {
  const prefix = process.env.KAFKA_TOPIC_PREFIX;
  if (!prefix?.startsWith('test.'))
    throw new Error('KAFKA_TOPIC_PREFIX is not a test namespace; run tests through jest (jest.preset.js sets it)');
  return prefix;
}

/** The physical name of a contracts topic in this test file's namespace. */
export const testTopic = (logical: string): string => testTopicPrefix() + logical;

/**
 * Creates `topics` when missing (a collector may subscribe before the service that creates them has started): any test
 * topic, where platform's ensureTopics creates the contracts' catalogue. It cannot call platform's: @mm/platform's
 * tests depend on this package.
 */
export async function ensureTestTopics(kafka: Kafka, topics: string[], numPartitions = 6): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0)
      await createTopicsWithLeaders(
        admin,
        missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
      );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Collects every message of `topics` (from the beginning: the topics are this file's own), for assertions on what a
 * service published.
 * Resolves only once the group has joined with its partitions assigned, so nothing published afterwards is missed.
 */
export async function collectMessages(
  kafka: Kafka,
  topics: string[],
  groupId: string,
): Promise<{ messages: KafkaMessage[]; consumer: Consumer }> {
  await ensureTestTopics(kafka, topics);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await joined;
  return { messages, consumer };
}

/** Deletes every topic whose name starts with `prefix` (a finished test run's or benchmark's namespace); returns how many. */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<number> {
  if (!/^(test|bench)\./.test(prefix)) throw new Error(`refusing to delete topics outside a test or bench namespace: ${prefix}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    for (let i = 0; i < topics.length; i += 100) await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 30_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The Kafka settings NODE_ENV=production requires (TLS, SCRAM, three replicas, two in sync), for tests of a production
 * config that must fail on one other variable only. Values are placeholders: nothing connects with them.
 */
export const PRODUCTION_KAFKA_ENV: Readonly<Record<string, string>> = {
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'service',
  KAFKA_SASL_PASSWORD: 'kafka-scram-password-0123456789',
  KAFKA_REPLICATION_FACTOR: '3',
  KAFKA_MIN_INSYNC_REPLICAS: '2',
};

/**
 * Creates `topics` (those another process created meanwhile are fine) and waits until every partition has a leader.
 * kafkajs's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a broker answers UNKNOWN_TOPIC_OR_PARTITION for
 * a topic it has just created until its metadata cache has it, and that failed test set-ups at random; here any
 * metadata answer short of every leader is retried until `timeoutMs`. Platform's `createTopicsWithLeaders` is its twin
 * for the services: @mm/platform's and @mm/contracts' tests depend on this package, so neither can be imported here.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  try {
    await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  } catch (error) {
    if (!/already exists/i.test(String((error as Error).message))) throw error;
  }
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let why: string;
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      const led = found.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (led.length === names.length) return;
      why = `${names.length - led.length} of ${names.length} topics without leaders`;
    } catch (error) {
      why = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms (${why}): ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
