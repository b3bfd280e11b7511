import { createTestDatabase, waitFor, type TestDatabase } from '@mm/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, initialiseDataSource } from '../database';
import { OutboxNotifier } from './outbox-notifier';

describe('OutboxNotifier', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let listener: Client;
  const received: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('platform_notify');
    dataSource = await initialiseDataSource(
      dataSourceOptions({ url: db.url, schema: 'svc', entities: [], migrations: [], applicationName: 'notifier-test', poolSize: 2 }),
    );
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => received.push(n.channel));
    await listener.query('listen test_outbox');
  });

  afterAll(async () => {
    await listener?.end().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await db?.drop();
  });

  beforeEach(() => received.splice(0));

  it('wakes a listener on the channel', async () => {
    new OutboxNotifier(dataSource, 'test_outbox').notify();
    await waitFor(() => (received.length > 0 ? true : undefined), 5000, 10);
    expect(received).toEqual(['test_outbox']);
  });

  it('folds calls made while one NOTIFY is in flight into one more, so none is lost and none piles up', async () => {
    const notifier = new OutboxNotifier(dataSource, 'test_outbox');
    for (let i = 0; i < 100; i++) notifier.notify();
    await waitFor(() => (received.length >= 2 ? true : undefined), 5000, 10);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(2);
  });

  it('with a relay in the same process, wakes it in memory on every call and sends no NOTIFY', async () => {
    let woken = 0;
    const notifier = new OutboxNotifier(dataSource, 'test_outbox', 5, () => (woken += 1));
    for (let i = 0; i < 3; i++) notifier.notify();
    expect(woken).toBe(3);
    new OutboxNotifier(dataSource, 'test_outbox').notify(); // a NOTIFY after those calls arrives, so theirs would have too
    await waitFor(() => (received.length > 0 ? true : undefined), 5000, 10);
    expect(received).toEqual(['test_outbox']);
  });

  it('never throws when the database cannot be reached', async () => {
    const broken = await initialiseDataSource(
      dataSourceOptions({ url: db.url, schema: 'svc', entities: [], migrations: [], applicationName: 'notifier-test', poolSize: 1 }),
    );
    await broken.destroy();
    const notifier = new OutboxNotifier(broken, 'test_outbox');
    expect(() => notifier.notify()).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(() => notifier.notify()).not.toThrow();
  });
});
