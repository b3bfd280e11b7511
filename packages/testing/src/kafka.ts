import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage } from 'kafkajs';

export const testBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export const testKafka = (clientId = 'mm-test'): Kafka =>
  new Kafka({ clientId, brokers: testBrokers(), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });

export const testProducer = (kafka: Kafka) => kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });

/** Collects every message of `topics` from the current end onwards, for assertions on what a service published. */
export async function collectMessages(kafka: Kafka, topics: string[], groupId: string): Promise<{ messages: KafkaMessage[]; consumer: Consumer }> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topics, fromBeginning: false });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await joined;
  return { messages, consumer };
}
