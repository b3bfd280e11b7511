import { randomUUID } from 'node:crypto';
import { Topics } from '@mm/contracts';
import {
  collectMessages,
  createTestDatabase,
  freePort,
  queryOnce,
  testBrokers,
  testKafka,
  testTopic,
  testTopicPrefix,
  waitFor,
  type TestDatabase,
} from '@mm/testing';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { dataSourceOptions, initialiseDataSource } from '../database';
import { kafkaEnv } from '../kafka-security';
import { MetricsModule } from '../metrics';
import { OutboxHousekeepingService } from './outbox-housekeeping.service';
import { enqueueOutbox } from './outbox-insert';
import { OutboxNotifier } from './outbox-notifier';
import { createOutboxTable } from './outbox-table';
import { outboxEnv } from './outbox.config';
import { OutboxModule } from './outbox.module';
import type { OutboxServiceConfig } from './outbox.options';

/** A service with an outbox, as an app wires it: its DataSource, the global metrics, OutboxModule.forFeature. */
async function serviceWithOutbox(dataSource: DataSource, url: string, env: Record<string, string>): Promise<INestApplicationContext> {
  const config: OutboxServiceConfig = {
    ...z.object({ ...kafkaEnv, ...outboxEnv }).parse({ KAFKA_TOPIC_PREFIX: testTopicPrefix(), OUTBOX_POLL_MS: '200', ...env }),
    DATABASE_URL: url,
    KAFKA_BROKERS: env.KAFKA_BROKERS?.split(',') ?? testBrokers(),
    LOG_LEVEL: 'silent',
  };
  @Global()
  @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
  class DatabaseModule {}
  @Module({
    imports: [
      DatabaseModule,
      MetricsModule,
      OutboxModule.forFeature({ channel: 'mm_test_outbox', metricPrefix: 'test', clientId: 'outbox-test', config }),
    ],
  })
  class ServiceModule {}
  return NestFactory.createApplicationContext(ServiceModule, { logger: false });
}

async function databaseWithOutbox(name: string): Promise<{ db: TestDatabase; dataSource: DataSource }> {
  const db = await createTestDatabase(name);
  const dataSource = await initialiseDataSource(
    dataSourceOptions({ url: db.url, schema: 'svc', entities: [], migrations: [], applicationName: 'outbox-test', poolSize: 4 }),
  );
  const runner = dataSource.createQueryRunner();
  await createOutboxTable(runner).finally(() => runner.release());
  return { db, dataSource };
}

const metricOf = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);

describe('OutboxModule relay', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplicationContext;
  let collected: { messages: KafkaMessage[]; consumer: Consumer };

  beforeAll(async () => {
    ({ db, dataSource } = await databaseWithOutbox('platform_outbox_relay'));
    // A poll far beyond the test's wait: rows arrive only because the commit's notify woke the relay in this process.
    app = await serviceWithOutbox(dataSource, db.url, { OUTBOX_POLL_MS: '60000' });
    await app.init();
    collected = await collectMessages(
      testKafka('outbox-test-collector'),
      [testTopic(Topics.PaymentReceived)],
      `outbox-test-${randomUUID()}`,
    );
  });

  afterAll(async () => {
    await collected?.consumer.disconnect();
    await app?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('publishes rows committed in a transaction to the namespaced topic, in commit order per key, and marks them sent', async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    const keys = ['+250700000001', '+250700000002', '+250700000003'];
    await dataSource.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) {
        await enqueueOutbox(tx, {
          event: { id },
          topic: Topics.PaymentReceived,
          key: keys[i % 3]!,
          value: JSON.stringify({ id, i }),
          headers: { ce_id: id },
        });
      }
    });
    app.get(OutboxNotifier).notify();

    await waitFor(() => (collected.messages.length >= ids.length ? true : undefined), 30_000, 50);
    expect(collected.messages).toHaveLength(ids.length);
    for (const key of keys) {
      const published = collected.messages
        .filter((m) => m.key?.toString() === key)
        .map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id);
      expect(published).toEqual(ids.filter((_, i) => keys[i % 3] === key));
    }
    expect(collected.messages[0]!.headers?.ce_id?.toString()).toBe(JSON.parse(collected.messages[0]!.value!.toString()).id);
    expect(await queryOnce(db.url, 'select count(*)::int as n from svc.outbox where sent_at is null')).toEqual([{ n: 0 }]);
    const metrics = await app.get(Registry).metrics();
    expect(metricOf(metrics, 'test_outbox_published_total')).toBe(ids.length);
    expect(metricOf(metrics, 'test_outbox_backlog')).toBe(0);
  });
});

describe('OutboxModule housekeeping', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplicationContext;

  beforeAll(async () => {
    ({ db, dataSource } = await databaseWithOutbox('platform_outbox_purge'));
    // No broker: the relay must leave the unsent rows below alone.
    app = await serviceWithOutbox(dataSource, db.url, {
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      OUTBOX_RETENTION_HOURS: '1',
      OUTBOX_PURGE_BATCH_SIZE: '7',
    });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('purges only rows published longer ago than the retention, in batches, never an unsent row', async () => {
    const insert = (n: number, sentAt: string | null, createdAt = 'now()') =>
      queryOnce(
        db.url,
        `insert into svc.outbox (event_id, topic, message_key, payload, headers, created_at, sent_at)
         select gen_random_uuid(), 'purge-test', 'k', '{}', '{}', ${createdAt}, ${sentAt ?? 'null'} from generate_series(1, $1)`,
        [n],
      );
    await insert(23, `now() - interval '2 hours'`, `now() - interval '3 hours'`); // published long ago: purged
    await insert(5, `now() - interval '10 minutes'`); // published recently: kept
    await insert(4, null, `now() - interval '5 hours'`); // never published: kept, whatever its age

    expect(await app.get(OutboxHousekeepingService).purge()).toBe(23); // 7 + 7 + 7 + 2
    expect(await queryOnce(db.url, `select sent_at is not null as sent, count(*)::int as n from svc.outbox group by 1 order by 1`)).toEqual(
      [
        { sent: false, n: 4 },
        { sent: true, n: 5 },
      ],
    );
    expect(await app.get(OutboxHousekeepingService).purge()).toBe(0);
    const metrics = await app.get(Registry).metrics();
    expect(metricOf(metrics, 'test_outbox_purged_total')).toBe(23);
    expect(metricOf(metrics, 'test_outbox_backlog')).toBe(4);
    expect(metricOf(metrics, 'test_outbox_oldest_age_seconds')).toBeGreaterThan(5 * 3600 - 60);
  });
});
