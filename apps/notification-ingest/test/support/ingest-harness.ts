import { Topics } from '@mm/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectMessages, createTestDatabase, testBrokers, testKafka, testTopic, testTopicPrefix, type TestDatabase } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { createServiceApp } from '@mm/platform';
import { loadIngestConfig, type IngestConfig } from '../../src/config';
import { ingestService } from '../../src/service';

/** Credentials the tests post with: 12000 has two live secrets (rotation) and may post for provider 200 only. */
export const SECRET = 'integration-secret-12000-current';
export const OLD_SECRET = 'integration-secret-12000-previous';
export const OTHER_SECRET = 'integration-secret-13000-only';
export const CREDENTIALS = {
  '12000': { secrets: [SECRET, OLD_SECRET], providers: ['200'] },
  '13000': { secrets: [OTHER_SECRET], providers: ['300'] },
};

export interface RunningIngest {
  url: string;
  app: NestFastifyApplication;
  config: IngestConfig;
  close(): Promise<void>;
}

/** Boots the real application in this process (real migrations, real broker unless told otherwise) on a free port. */
export async function startIngest(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningIngest> {
  const config = loadIngestConfig({
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: testTopicPrefix(),
    INGEST_CREDENTIALS: JSON.stringify(CREDENTIALS),
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_MS: '200',
    DATABASE_POOL_SIZE: '8',
    HTTP_OPENAPI_DOCS: 'false',
    ...env,
  });
  const app = await createServiceApp(ingestService, config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, app, config, close: () => app.close() };
}

export interface IngestWithDatabase {
  db: TestDatabase;
  /** Replaceable: a test may stop it and start another on the same database; `stop` closes whichever runs. */
  ingest: RunningIngest;
  stop(): Promise<void>;
}

/** A fresh database and an ingest on it. */
export async function ingestWithDatabase(prefix: string, env: Record<string, string> = {}): Promise<IngestWithDatabase> {
  const db = await createTestDatabase(prefix);
  const harness: IngestWithDatabase = {
    db,
    ingest: await startIngest(db.url, env),
    async stop() {
      await harness.ingest.close();
      await db.drop();
    },
  };
  return harness;
}

/** Listens on this file's mm.payment.received.v1 with a group of its own; counts the events of given paymentIds. */
export async function watchPaymentEvents(): Promise<{
  of(paymentId: string): Record<string, unknown>[];
  messages: KafkaMessage[];
  consumer: Consumer;
}> {
  const { messages, consumer } = await collectMessages(
    testKafka(`ingest-test-${randomUUID()}`),
    [testTopic(Topics.PaymentReceived)],
    `ingest-test-${randomUUID()}`,
  );
  return {
    messages,
    consumer,
    of: (paymentId) =>
      messages
        .map((m) => JSON.parse(m.value?.toString('utf8') ?? 'null') as { data?: { paymentId?: string } } & Record<string, unknown>)
        .filter((e) => e?.data?.paymentId === paymentId),
  };
}
