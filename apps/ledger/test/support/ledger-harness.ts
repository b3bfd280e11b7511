import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dlqTopic, ServiceNames, toKafkaMessage, TopicNamespace, Topics, type MmEvent } from '@mm/contracts';
import { createServiceApp } from '@mm/platform';
import {
  createTestDatabase,
  createTopicsWithLeaders,
  queryOnce,
  testKafka,
  testProducer,
  testTopicPrefix,
  waitFor,
  type TestDatabase,
} from '@mm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { loadLedgerConfig } from '../../src/config';
import { ledgerService } from '../../src/service';

export const API_KEY = 'ledger-test-api-key-0123456789';
export const LEDGER_ENTRY = join(__dirname, '..', '..', 'dist', 'main.js');

export interface TestTopics {
  payments: string;
  requests: string;
  results: string;
  corrections: string;
  dlq: string;
}

/**
 * A throwaway world for one test file: its own database, its own topics (so nobody else's events reach it and
 * a consumer reads only what the test published), a producer, and the environment a ledger needs to use them.
 */
export class LedgerHarness {
  private constructor(
    readonly db: TestDatabase,
    readonly namespace: TopicNamespace,
    readonly topics: TestTopics,
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
  ) {}

  static async create(name: string, partitions = 3): Promise<LedgerHarness> {
    // A namespace per harness (several may share a test file): the ledger reads the contracts' topics inside it.
    const namespace = new TopicNamespace(`${testTopicPrefix()}${randomBytes(4).toString('hex')}.`);
    const topics: TestTopics = {
      payments: namespace.topic(Topics.PaymentReceived),
      requests: namespace.topic(Topics.DebitRequested),
      results: namespace.topic(Topics.DebitResult),
      corrections: namespace.topic(Topics.LedgerCorrection),
      dlq: namespace.topic(dlqTopic(ServiceNames.Ledger)),
    };
    const kafka = testKafka(`ledger-test-${name}-${namespace.prefix}`);
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [
      ...[topics.payments, topics.requests, topics.results, topics.corrections].map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
      })),
      { topic: topics.dlq, numPartitions: 1, replicationFactor: 1 },
    ]);
    const producer = testProducer(kafka);
    await producer.connect();
    return new LedgerHarness(await createTestDatabase(`ledger_${name}`), namespace, topics, kafka, admin, producer);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      LEDGER_API_KEY: API_KEY,
      LEDGER_CONSUMER_GROUP: `ledger-test-${randomBytes(6).toString('hex')}`,
      KAFKA_TOPIC_PREFIX: this.namespace.prefix,
      LOG_LEVEL: 'error',
      HTTP_ACCESS_LOG: 'false',
      HTTP_OPENAPI_DOCS: 'false',
      ...extra,
    };
  }

  topicOf(event: MmEvent): string {
    if (event.type === 'mm.payment.received.v1') return this.topics.payments;
    if (event.type === 'mm.ledger.correction-approved.v1') return this.topics.corrections;
    return event.type === 'mm.debit.requested.v1' ? this.topics.requests : this.topics.results;
  }

  /** Publishes events on their topics, keyed by account as the services do, in chunks. */
  async publish(events: MmEvent[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const e of events) {
      const key =
        e.type === 'mm.payment.received.v1'
          ? e.data.customerId
          : e.type === 'mm.ledger.correction-approved.v1'
            ? e.data.originalEventId
            : e.data.accountNumber;
      byTopic.set(this.topicOf(e), [...(byTopic.get(this.topicOf(e)) ?? []), toKafkaMessage(e, key)]);
    }
    await this.publishRaw([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  }

  async publishRaw(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    for (const { topic, messages } of topicMessages) {
      for (let i = 0; i < messages.length; i += 1000) await this.producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
    }
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryOnce<T>(this.db.url, sql, params);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ n: number }>(sql, params);
    return row?.n ?? 0;
  }

  /** Resolves once the group (as configured: LEDGER_CONSUMER_GROUP) has committed every partition of the four topics up to its end. */
  async waitCaughtUp(configuredGroupId: string, timeoutMs = 60_000): Promise<void> {
    const topics = [this.topics.payments, this.topics.requests, this.topics.results, this.topics.corrections];
    const groupId = this.namespace.group(configuredGroupId);
    await waitFor(async () => {
      const committed = await this.admin.fetchOffsets({ groupId, topics });
      for (const topic of topics) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const at = mine.find((p) => p.partition === end.partition)?.offset ?? '-1';
          if (end.high !== '0' && at !== end.high) return undefined;
        }
      }
      return true;
    }, timeoutMs);
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    await this.db.drop().catch(() => undefined);
  }
}

/** The ledger as a Nest application in this process (consumer + API), listening on a free port. */
export async function startLedgerApp(
  env: Record<string, string>,
): Promise<{ app: NestFastifyApplication; url: string; close(): Promise<void> }> {
  const config = loadLedgerConfig({ ...env, PORT: '0', HOST: '127.0.0.1' });
  const app = await createServiceApp(ledgerService, config);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), close: () => app.close() };
}
