import { queryOnce, waitFor } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { send, signedNotification } from './support/bboxx-client';
import {
  ingestWithDatabase,
  type IngestWithDatabase,
  OTHER_SECRET,
  SECRET,
  startIngest,
  watchPaymentEvents,
} from './support/ingest-harness';

/** Replays, concurrent twins and conflicting repeats, counted in PostgreSQL and on the real Kafka topic. */
describe('de-duplication: replay, concurrency, conflicts (real PostgreSQL and Kafka)', () => {
  let env: IngestWithDatabase;
  let events: Awaited<ReturnType<typeof watchPaymentEvents>>;
  const count = async (sql: string, params: unknown[]) => (await queryOnce<{ n: number }>(env.db.url, sql, params))[0]!.n;
  const rowsFor = (messageId: string) => count(`select count(*)::int as n from ingest.notifications where message_id = $1`, [messageId]);
  const outboxFor = (paymentId: string) =>
    count(`select count(*)::int as n from ingest.outbox where payload::jsonb->'data'->>'paymentId' = $1`, [paymentId]);
  const settle = () => new Promise((r) => setTimeout(r, 1500)); // room for a relay that would publish twice

  beforeAll(async () => {
    events = await watchPaymentEvents();
    env = await ingestWithDatabase('ingest_dedup');
  });
  afterAll(async () => {
    await events?.consumer.disconnect();
    await env?.stop();
  });

  it('answers a captured request replayed verbatim with the original providerTransactionId, even after a restart, and publishes once', async () => {
    const captured = signedNotification(SECRET, {}, { smsSupport: 'Y' });
    const first = await send(env.ingest.url, captured);
    expect(first.status).toBe(200);
    const paymentId = first.json.providerTransactionId as string;
    const replays = [await send(env.ingest.url, captured), await send(env.ingest.url, captured)];
    for (const r of replays) expect(r.json).toEqual(first.json);

    await env.ingest.close(); // de-duplication lives in PostgreSQL, not in the process
    env.ingest = await startIngest(env.db.url);
    expect((await send(env.ingest.url, captured)).json).toEqual(first.json);

    const [event] = await waitFor(() => (events.of(paymentId).length > 0 ? events.of(paymentId) : undefined), 20_000);
    expect(event).toMatchObject({ type: 'mm.payment.received.v1', data: { paymentId, smsSupport: true, messageId: captured.messageId } });
    await settle();
    expect(events.of(paymentId)).toHaveLength(1);
    expect(await rowsFor(captured.messageId)).toBe(1);
    expect(await outboxFor(paymentId)).toBe(1);
  });

  it('gives 50 concurrent copies of one notification one answer, one stored row and one Kafka event', async () => {
    const n = signedNotification(SECRET);
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(env.ingest.url, n)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const ids = new Set(answers.map((a) => a.json.providerTransactionId));
    expect(ids.size).toBe(1);
    const [paymentId] = [...ids] as string[];
    expect(await rowsFor(n.messageId)).toBe(1);
    await waitFor(() => (events.of(paymentId!).length > 0 ? true : undefined), 20_000);
    await settle();
    expect(events.of(paymentId!)).toHaveLength(1);
  });

  it('treats 20 concurrent re-sends of one transaction under new MessageIDs, same money, as one payment', async () => {
    const transactionId = `tx-${randomUUID()}`;
    const copies = Array.from({ length: 20 }, () => signedNotification(SECRET, { transactionId, amount: 5000 }));
    const answers = await Promise.all(copies.map((c) => send(env.ingest.url, c)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.json.providerTransactionId)).size).toBe(1);
    expect(await count(`select count(*)::int as n from ingest.notifications where transaction_id = $1`, [transactionId])).toBe(1);
    const paymentId = answers[0]!.json.providerTransactionId as string;
    await waitFor(() => (events.of(paymentId).length > 0 ? true : undefined), 20_000);
    await settle();
    expect(events.of(paymentId)).toHaveLength(1);
  });

  it('refuses the same MessageID with a different body with 409, keeping the first', async () => {
    const first = signedNotification(SECRET, { amount: 100 });
    const accepted = await send(env.ingest.url, first);
    expect(accepted.status).toBe(200);
    const changed = signedNotification(SECRET, { amount: 900 }, { messageId: first.messageId });
    const answer = await send(env.ingest.url, changed);
    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({
      status: 'REJECTED',
      Description: expect.stringContaining('MessageID'),
      errors: [{ field: 'MessageID', message: expect.any(String) }],
    });
    const [row] = await queryOnce<{ amount_minor: string }>(
      env.db.url,
      `select amount_minor from ingest.notifications where message_id = $1`,
      [first.messageId],
    );
    expect(row).toEqual({ amount_minor: '100' });
  });

  it('refuses the same transactionId with a different amount or currency with 409, publishing nothing new', async () => {
    const transactionId = `tx-${randomUUID()}`;
    const first = await send(env.ingest.url, signedNotification(SECRET, { transactionId, amount: 200 }));
    expect(first.status).toBe(200);
    const moreMoney = await send(env.ingest.url, signedNotification(SECRET, { transactionId, amount: 2000 }));
    const otherCurrency = await send(env.ingest.url, signedNotification(SECRET, { transactionId, amount: 200, currency: 'UGX' }));
    for (const answer of [moreMoney, otherCurrency]) {
      expect(answer.status).toBe(409);
      expect(answer.json).toMatchObject({ status: 'REJECTED', errors: [{ field: 'transactionId' }] });
    }
    expect(
      await count(`select count(*)::int as n from ingest.outbox where payload::jsonb->'data'->>'transactionId' = $1`, [transactionId]),
    ).toBe(1);
  });

  it('scopes MessageID to the customer: two customers using one MessageID are both accepted and published, each replay answered alike', async () => {
    const mine = signedNotification(SECRET);
    const theirs = signedNotification(OTHER_SECRET, {}, { customerId: '13000', providerId: '300', messageId: mine.messageId });
    const [first, second] = [await send(env.ingest.url, mine), await send(env.ingest.url, theirs)];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json).toMatchObject({ status: 'ACCEPTED' });
    const paymentIds = [first.json.providerTransactionId as string, second.json.providerTransactionId as string];
    expect(new Set(paymentIds).size).toBe(2);
    expect(await rowsFor(mine.messageId)).toBe(2);
    // Within each customer MessageID still de-duplicates: the replay gets that customer's own first answer.
    expect((await send(env.ingest.url, theirs)).json).toEqual(second.json);
    expect((await send(env.ingest.url, mine)).json).toEqual(first.json);
    const changed = signedNotification(OTHER_SECRET, { amount: 1 }, { customerId: '13000', providerId: '300', messageId: mine.messageId });
    expect((await send(env.ingest.url, changed)).status).toBe(409);
    for (const paymentId of paymentIds) await waitFor(() => (events.of(paymentId).length > 0 ? true : undefined), 20_000);
    await settle();
    expect(paymentIds.map((id) => events.of(id).length)).toEqual([1, 1]);
  });
});
