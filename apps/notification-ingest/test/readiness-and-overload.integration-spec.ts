import { createTestDatabase, freePort, queryOnce, startService, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { storedCount } from './support/assertions';
import { send, signedNotification } from './support/bboxx-client';
import { CREDENTIALS, ingestWithDatabase, SECRET, type IngestWithDatabase } from './support/ingest-harness';

describe('readiness means "can store": Kafka unreachable leaves ingest ready, with Kafka degraded', () => {
  let env: IngestWithDatabase;
  beforeAll(async () => {
    // A broker address where nothing listens: the shared broker itself is never touched.
    env = await ingestWithDatabase('ingest_ready', { KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
  });
  afterAll(() => env?.stop());

  it('answers /health/ready 200 with kafka degraded and no error text, and keeps accepting', async () => {
    const ready = await fetch(`${env.ingest.url}/health/ready`);
    const text = await ready.text();
    expect(ready.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ status: 'degraded', checks: { postgres: { status: 'up' }, kafka: { status: 'degraded' } } });
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|error/i);
    expect((await send(env.ingest.url, signedNotification(SECRET))).status).toBe(200);
  });
});

describe('a bounded write queue: when full, 503 with Retry-After and nothing stored', () => {
  let env: IngestWithDatabase;
  let locker: Client | undefined;
  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_queue', { INGEST_BATCH_CONCURRENCY: '1', INGEST_QUEUE_MAX: '1' });
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await env?.stop();
  });

  const queueDepth = async () =>
    Number(/^ingest_store_queue_depth (\S+)$/m.exec(await (await fetch(`${env.ingest.url}/metrics`)).text())?.[1]);

  it('refuses what would wait beyond INGEST_QUEUE_MAX, and answers ACCEPTED only for what was stored', async () => {
    // Hold the table so the one statement allowed in flight waits: then one request queues, and the next finds it full.
    locker = new Client({ connectionString: env.db.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table ingest.notifications in share mode');
    const [inFlight, queued, refused] = [signedNotification(SECRET), signedNotification(SECRET), signedNotification(SECRET)];
    const first = send(env.ingest.url, inFlight);
    await waitFor(async () => {
      const [row] = await queryOnce<{ n: number }>(
        env.db.url,
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      return row!.n > 0 ? true : undefined;
    });
    const second = send(env.ingest.url, queued);
    await waitFor(async () => ((await queueDepth()) === 1 ? true : undefined));

    const answer = await send(env.ingest.url, refused);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.json).toEqual({
      status: 'REJECTED',
      Description: expect.stringContaining('retry'),
      errors: [{ message: expect.any(String) }],
    });

    await locker.query('commit');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(await storedCount(env.db.url, refused.messageId)).toBe(0);
    expect(await storedCount(env.db.url, inFlight.messageId)).toBe(1);
    expect(await storedCount(env.db.url, queued.messageId)).toBe(1);
    // The refused one is not remembered either: its retry is accepted.
    expect((await send(env.ingest.url, refused)).status).toBe(200);
  });
});

describe('every 503 is logged (the built service as a process, its output captured)', () => {
  let db: TestDatabase;
  let ingest: RunningService;
  beforeAll(async () => {
    db = await createTestDatabase('ingest_log503');
    ingest = await startService('notification-ingest', join(__dirname, '..', 'dist', 'main.js'), {
      DATABASE_URL: db.url,
      INGEST_CREDENTIALS: JSON.stringify(CREDENTIALS),
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await ingest?.stop();
    await db?.drop();
  });

  it('writes a warn line with the correlationId and the cause, and no header or secret', async () => {
    // Storage breaks under the running service: its insert now fails.
    await queryOnce(db.url, 'alter table ingest.notifications rename to notifications_moved');
    const correlationId = `corr-503-${randomUUID()}`;
    const n = signedNotification(SECRET);
    const answer = await send(ingest.url, n, { 'X-Correlation-Id': correlationId });
    expect(answer.status).toBe(503);
    const line = await waitFor(
      () =>
        ingest
          .output()
          .split('\n')
          .find((l) => l.includes(correlationId)),
      10_000,
    );
    expect(JSON.parse(line)).toMatchObject({
      level: 40,
      correlationId,
      msg: expect.stringContaining('503'),
      err: { message: expect.stringContaining('notifications') },
    });
    const mac = n.headers.Authorization!.split(':')[1]!;
    for (const secret of [mac, SECRET]) expect(ingest.output()).not.toContain(secret);
  });
});
