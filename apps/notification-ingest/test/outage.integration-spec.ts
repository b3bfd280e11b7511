import { cutOffDatabase, freePort, queryOnce, waitFor } from '@mm/testing';
import { send, signedNotification } from './support/bboxx-client';
import { ingestWithDatabase, SECRET, startIngest, watchPaymentEvents, type IngestWithDatabase } from './support/ingest-harness';

describe('PostgreSQL down: 503, never ACCEPTED without storage', () => {
  let env: IngestWithDatabase;
  let reconnect: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_pgdown');
  });
  afterAll(async () => {
    await reconnect?.().catch(() => undefined);
    await env?.stop();
  });

  it('answers 503 with a JSON body while its database refuses connections, then accepts the retry exactly once', async () => {
    expect((await send(env.ingest.url, signedNotification(SECRET))).status).toBe(200);
    reconnect = await cutOffDatabase(env.db.name);

    const n = signedNotification(SECRET);
    const during = await Promise.all([send(env.ingest.url, n), send(env.ingest.url, signedNotification(SECRET))]);
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual({
        status: 'REJECTED',
        Description: expect.stringContaining('retry'),
        errors: [{ message: 'storage unavailable' }],
      });
      expect(answer.headers['retry-after']).toBe('1');
    }
    const ready = await fetch(`${env.ingest.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { postgres: { status: 'down' } } });

    await reconnect();
    const retried = await waitFor(
      async () => {
        const answer = await send(env.ingest.url, n);
        return answer.status === 200 ? answer : undefined;
      },
      15_000,
      250,
    );
    expect(retried.json).toMatchObject({ status: 'ACCEPTED' });
    const [row] = await queryOnce<{ n: number }>(env.db.url, `select count(*)::int as n from ingest.notifications where message_id = $1`, [
      n.messageId,
    ]);
    expect(row).toEqual({ n: 1 });
  });
});

describe('Kafka down during a burst: ingest keeps accepting, and every event arrives exactly once when Kafka is back', () => {
  let env: IngestWithDatabase;
  let events: Awaited<ReturnType<typeof watchPaymentEvents>>;
  beforeAll(async () => {
    events = await watchPaymentEvents();
    // A broker address where nothing listens: the shared broker itself is never touched.
    env = await ingestWithDatabase('ingest_kafkadown', { KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
  });
  afterAll(async () => {
    await events?.consumer.disconnect();
    await env?.stop();
  });

  it('accepts 200 notifications with no broker, publishes none, then publishes each once after a restart against the broker', async () => {
    const burst = Array.from({ length: 200 }, () => signedNotification(SECRET));
    const paymentIds: string[] = [];
    for (let i = 0; i < burst.length; i += 25) {
      const answers = await Promise.all(burst.slice(i, i + 25).map((n) => send(env.ingest.url, n)));
      for (const a of answers) {
        expect(a.status).toBe(200);
        paymentIds.push(a.json.providerTransactionId as string);
      }
    }
    const unsent = async () =>
      (await queryOnce<{ n: number }>(env.db.url, `select count(*)::int as n from ingest.outbox where sent_at is null`))[0]!.n;
    expect(await unsent()).toBe(200);
    const metrics = await (await fetch(`${env.ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/^ingest_outbox_backlog 200$/m);

    await env.ingest.close();
    env.ingest = await startIngest(env.db.url); // the real broker
    await waitFor(async () => ((await unsent()) === 0 ? true : undefined), 30_000, 200);
    await waitFor(() => (paymentIds.every((id) => events.of(id).length > 0) ? true : undefined), 30_000, 200);
    await new Promise((r) => setTimeout(r, 1500));
    const counts = paymentIds.map((id) => events.of(id).length);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(new Set(paymentIds).size).toBe(200);
  });
});
