import { queryOnce } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { send, signedNotification } from './support/bboxx-client';
import { ingestWithDatabase, SECRET, type IngestWithDatabase } from './support/ingest-harness';

/** With one statement in flight, concurrent requests are written in shared batches: each must still get its own answer. */
describe('micro-batching keeps every answer individual', () => {
  let env: IngestWithDatabase;
  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_batch', { INGEST_BATCH_CONCURRENCY: '1', INGEST_BATCH_MAX: '50' });
  });
  afterAll(() => env?.stop());

  it('answers new, replayed and conflicting notifications written in the same statements', async () => {
    const earlier = signedNotification(SECRET);
    const first = await send(env.ingest.url, earlier);
    expect(first.status).toBe(200);
    const fresh = Array.from({ length: 30 }, () => signedNotification(SECRET));
    const sameTransaction = `tx-${randomUUID()}`;
    const twinA = signedNotification(SECRET, { transactionId: sameTransaction, amount: 700 });
    const twinB = signedNotification(SECRET, { transactionId: sameTransaction, amount: 701 }); // same transaction, other amount
    const conflicting = signedNotification(SECRET, { amount: 999 }, { messageId: earlier.messageId });
    const answers = await Promise.all([
      ...fresh.map((n) => send(env.ingest.url, n)),
      send(env.ingest.url, earlier),
      send(env.ingest.url, earlier),
      send(env.ingest.url, conflicting),
      send(env.ingest.url, twinA),
      send(env.ingest.url, twinB),
    ]);
    const freshAnswers = answers.slice(0, 30);
    expect(freshAnswers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(new Set(freshAnswers.map((a) => a.json.providerTransactionId)).size).toBe(30);
    const [replay1, replay2, conflict, a, b] = answers.slice(30);
    expect(replay1!.json).toEqual(first.json);
    expect(replay2!.json).toEqual(first.json);
    expect(conflict!.status).toBe(409);
    expect([a!.status, b!.status].sort()).toEqual([200, 409]); // whichever came first wins; the other is refused

    // Each fresh answer names the row stored for exactly that request.
    const rows = await queryOnce<{ id: string; message_id: string }>(
      env.db.url,
      `select id, message_id from ingest.notifications where message_id = any($1)`,
      [fresh.map((n) => n.messageId)],
    );
    const idOf = new Map(rows.map((r) => [r.message_id, r.id]));
    fresh.forEach((n, i) => expect(idOf.get(n.messageId)).toBe(freshAnswers[i]!.json.providerTransactionId));

    const metrics = await (await fetch(`${env.ingest.url}/metrics`)).text();
    const single = Number(/^ingest_store_batch_size_bucket\{le="1"\} (\d+)$/m.exec(metrics)?.[1]);
    const all = Number(/^ingest_store_batch_size_count (\d+)$/m.exec(metrics)?.[1]);
    expect(all - single).toBeGreaterThan(0); // some statements really carried several notifications
    expect(all).toBeLessThan(36);
  });
});
