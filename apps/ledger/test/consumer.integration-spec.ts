import { toKafkaMessage } from '@mm/contracts';
import { waitFor } from '@mm/testing';
import type { KafkaMessage } from 'kafkajs';
import { debitApproved, debitRequested, paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';

/** The consumer on the real broker and database: redelivery, forward compatibility, poison. */
describe('ledger consumer', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await LedgerHarness.create('consumer');
    env = h.env();
    ledger = await startLedgerApp(env);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  const countFor = (table: 'events' | 'journal_entries', ids: string[]) =>
    h.count(`select count(*)::int as n from ledger.${table} where ${table === 'events' ? 'id' : 'event_id'} = any($1)`, [ids]);

  it('stores a redelivered batch once and books its postings once', async () => {
    const events = Array.from({ length: 40 }, (_, i) => paymentEvent({ customerId: `redeliver-${i % 4}`, amountMinor: String(100 + i) }));
    const ids = events.map((e) => e.id);
    await h.publish(events);
    await h.publish(events); // the same events again, as an at-least-once relay would after a crash
    await h.publish(events.slice(0, 10));
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    expect(await countFor('events', ids)).toBe(40);
    expect(await countFor('journal_entries', ids)).toBe(40);
    const [sum] = await h.query<{ n: number; total: string }>(
      `select count(*)::int as n, sum(p.amount_minor)::text as total from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id
        where j.event_id = any($1) and p.account_id like 'provider-clearing:%'`,
      [ids],
    );
    expect(sum).toEqual({ n: 40, total: String(events.reduce((s, e) => s + Number(e.data.amount.amountMinor), 0)) });
  });

  it('reads a newer compatible v1 event with unknown fields and keeps the full envelope', async () => {
    const event = paymentEvent({ customerId: 'forward-compat' });
    const newer = { ...event, newextension: 'x', data: { ...event.data, loyaltyPoints: 12, nested: { a: 1 } } };
    await h.publishRaw([
      { topic: h.topics.payments, messages: [{ ...toKafkaMessage(event, 'forward-compat'), value: JSON.stringify(newer) }] },
    ]);
    const [row] = await waitFor(async () => {
      const rows = await h.query<{ envelope: Record<string, unknown> }>(`select envelope from ledger.events where id = $1`, [event.id]);
      return rows.length ? rows : undefined;
    });
    expect(row!.envelope).toMatchObject({
      newextension: 'x',
      data: { loyaltyPoints: 12, nested: { a: 1 }, paymentId: event.data.paymentId },
    });
    expect(await countFor('journal_entries', [event.id])).toBe(1);
  });

  it('dead-letters unparsable, unknown, unbookable and database-refused messages with the reason, and keeps the partition moving', async () => {
    const key = 'poison-account'; // one key: everything below lands in one partition, in this order
    const before = paymentEvent({ customerId: key });
    const after = paymentEvent({ customerId: key });
    const unknown = { ...paymentEvent({ customerId: key }), type: 'mm.payment.refunded.v9' };
    const floatAmount = paymentEvent({ customerId: key });
    const nulByte = paymentEvent({ customerId: key, operator: 'nul\u0000byte' }); // valid to the schema, refused by jsonb
    const request = debitRequested({ accountNumber: key });
    const badApproval = debitApproved(request, '3');
    const tampered = { ...badApproval, data: { ...badApproval.data, total: { amountMinor: '99', currency: 'USD' } } };
    const laterApproval = debitApproved(debitRequested({ accountNumber: key }), '5');
    await h.publishRaw([
      {
        topic: h.topics.payments,
        messages: [
          toKafkaMessage(before, key),
          { key, value: '{"specversion": "1.0", "id": ' },
          { key, value: null },
          { key, value: JSON.stringify(unknown) },
          {
            key,
            value: JSON.stringify({ ...floatAmount, data: { ...floatAmount.data, amount: { amountMinor: '2.5', currency: 'RWF' } } }),
          },
          { key, value: '\u0000\u0001 not json at all' },
          toKafkaMessage(nulByte, key),
          toKafkaMessage(after, key),
        ],
      },
      { topic: h.topics.results, messages: [{ key, value: JSON.stringify(tampered) }, toKafkaMessage(laterApproval, key)] },
    ]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    expect(await countFor('events', [before.id, after.id, laterApproval.id])).toBe(3);
    expect(await countFor('events', [unknown.id, floatAmount.id, tampered.id, nulByte.id])).toBe(0);

    const dead = await readAll(h, h.topics.dlq, 7);
    const reasons = dead.map((m) => m.headers?.mm_dlq_reason?.toString() ?? '');
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/invalid JSON/),
        expect.stringMatching(/empty message value/),
        expect.stringMatching(/unknown event type mm.payment.refunded.v9/),
        expect.stringMatching(/amountMinor/),
        expect.stringMatching(/does not add up/),
        expect.stringMatching(/refused by the database: .*unicode|refused by the database: .*\\u0000/i),
      ]),
    );
    const fromResults = dead.find((m) => m.headers?.mm_dlq_topic?.toString() === h.topics.results);
    expect(fromResults?.headers?.mm_dlq_event_id?.toString()).toBe(tampered.id);
    expect(JSON.parse(fromResults!.value!.toString())).toEqual(tampered); // the original bytes, for inspection
  });

  it('never books an event published on a topic its type does not belong to (a payment forged onto the command topic)', async () => {
    const forged = paymentEvent({ customerId: 'forged-onto-commands' });
    const genuine = debitRequested({ accountNumber: 'forged-onto-commands' });
    // One key, one partition: the genuine command after the forgery shows the partition moved on past it.
    await h.publishRaw([
      {
        topic: h.topics.requests,
        messages: [toKafkaMessage(forged, 'forged-onto-commands'), toKafkaMessage(genuine, 'forged-onto-commands')],
      },
    ]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    expect(await countFor('events', [forged.id])).toBe(0);
    expect(await countFor('journal_entries', [forged.id])).toBe(0);
    expect(await h.count(`select count(*)::int as n from ledger.postings where account_id = 'customer:forged-onto-commands'`)).toBe(0);
    expect(await countFor('events', [genuine.id])).toBe(1);
    const dead = (await readAll(h, h.topics.dlq, 8)).find((m) => m.headers?.mm_dlq_event_id?.toString() === forged.id);
    expect(dead?.headers?.mm_dlq_reason?.toString()).toBe(
      `event type mm.payment.received.v1 does not belong on topic mm.debit.requested.v1`,
    );
  });

  it('ignores a second copy of an event that arrives on another partition with another key', async () => {
    const event = paymentEvent({ customerId: 'copy-a' });
    await h.publishRaw([
      {
        topic: h.topics.payments,
        messages: [toKafkaMessage(event, 'copy-a'), toKafkaMessage(event, 'copy-b'), toKafkaMessage(event, 'copy-c')],
      },
    ]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    expect(await countFor('events', [event.id])).toBe(1);
    expect(await countFor('journal_entries', [event.id])).toBe(1);
  });
});

/** Every message of a topic from its beginning (a test's own DLQ topic), once `expected` have arrived. */
async function readAll(h: LedgerHarness, topic: string, expected: number): Promise<KafkaMessage[]> {
  const consumer = h.kafka.consumer({ groupId: `dlq-reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  try {
    await waitFor(() => (messages.length >= expected ? true : undefined));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** LEDGER_ALLOWED_SOURCES: a producer that may write the topic but is not a configured source of the type is refused. */
describe('ledger consumer with allowed sources', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await LedgerHarness.create('sources');
    env = h.env({ LEDGER_ALLOWED_SOURCES: JSON.stringify({ 'mm.payment.received.v1': ['/mm/notification-ingest'] }) });
    ledger = await startLedgerApp(env);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('books a payment from the configured source and dead-letters one from any other', async () => {
    const fromIngest = { ...paymentEvent({ customerId: 'sourced' }), source: '/mm/notification-ingest/providers/200' };
    const lookalike = { ...paymentEvent({ customerId: 'sourced' }), source: '/mm/notification-ingest-evil/providers/200' };
    const elsewhere = { ...paymentEvent({ customerId: 'sourced' }), source: 'mm/test' };
    await h.publishRaw([
      { topic: h.topics.payments, messages: [fromIngest, lookalike, elsewhere].map((e) => toKafkaMessage(e, 'sourced')) },
    ]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    const stored = await h.query<{ id: string }>(`select id from ledger.events where id = any($1)`, [
      [fromIngest.id, lookalike.id, elsewhere.id],
    ]);
    expect(stored.map((r) => r.id)).toEqual([fromIngest.id]);
    const reasons = (await readAll(h, h.topics.dlq, 2)).map((m) => m.headers?.mm_dlq_reason?.toString());
    expect(reasons).toEqual([
      'source /mm/notification-ingest-evil/providers/200 may not publish mm.payment.received.v1',
      'source mm/test may not publish mm.payment.received.v1',
    ]);
  });
});
