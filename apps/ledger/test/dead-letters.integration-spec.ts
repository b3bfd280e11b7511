import { toKafkaMessage } from '@mm/contracts';
import { metricValue, scrapeMetrics, waitFor } from '@mm/testing';
import { correctionApproved, paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';
import { operatorClient, operatorToken, type Json } from './support/operators';

/** Dead letters through the running ledger: poison → DLQ → inbox → inspect → replay (checker, once) → booked once. */
describe('ledger dead letters', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let group: string;
  const call = operatorClient(() => ledger.url);
  const t: Record<string, string> = {};
  const payment = paymentEvent({ providerId: '700', customerId: 'dlq-late', amountMinor: '1000', currency: 'RWF' });
  const again = paymentEvent({ providerId: '700', customerId: 'dlq-again', amountMinor: '800', currency: 'RWF' });
  // Corrections naming payments the ledger has not seen yet: dead-lettered "not in the ledger" until they arrive.
  const early = correctionApproved(payment.id, '300', { reason: 'duplicate notification' });
  const redelivered = correctionApproved(again.id, '100', { reason: 'duplicate notification' });
  const letters: Record<string, Json> = {};
  const booked = (eventId: string) => h.count(`select count(*)::int as n from ledger.journal_entries where event_id = $1`, [eventId]);
  const stored = (eventId: string) => h.count(`select count(*)::int as n from ledger.events where id = $1`, [eventId]);
  const replay = (id: string, token = t.carol, body: unknown = { reason: 'original payment now booked' }) =>
    call('POST', `/v1/dead-letters/${id}/replay`, token, body);

  beforeAll(async () => {
    h = await LedgerHarness.create('dead_letters');
    const env = h.env();
    group = env.LEDGER_CONSUMER_GROUP!;
    ledger = await startLedgerApp(env);
    t.vic = await operatorToken('vic', ['viewer']);
    t.mia = await operatorToken('mia', ['maker']);
    t.carol = await operatorToken('carol', ['checker']);
    await h.publishRaw([
      { topic: h.topics.corrections, messages: [early, redelivered].map((e) => toKafkaMessage(e, e.data.originalEventId)) },
    ]);
    const open = await waitFor(async () => {
      const { body } = await call('GET', '/v1/dead-letters?state=open', t.vic);
      return body.items?.length === 2 ? (body.items as Json[]) : undefined;
    }, 30_000);
    for (const l of open) letters[l.eventId as string] = l;
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('keeps each refused message once in the inbox, with its origin, reason and bytes, for any operator to read', async () => {
    const letter = letters[early.id]!;
    expect(letter).toMatchObject({ state: 'open', originalTopic: h.topics.corrections, key: payment.id, replayedBy: null });
    expect(letter.reason).toMatch(/not in the ledger/);
    const detail = await call('GET', `/v1/dead-letters/${letter.id}`, t.vic);
    expect(detail.status).toBe(200);
    expect(JSON.parse(detail.body.value)).toEqual(early);
    expect(detail.body.headers).toMatchObject({ ce_id: early.id, mm_dlq_topic: h.topics.corrections });
    expect(detail.body.dlqTopic).toBe(h.topics.dlq);
    expect(await h.count(`select count(*)::int as n from ledger.dead_letters`)).toBe(2);
    expect(metricValue(await scrapeMetrics(ledger.url), 'dead_letters_open')).toBe(2);
  });

  it('refuses anonymous callers (401), makers and viewers (403), a missing or short reason (400), an unknown id (404)', async () => {
    const id = letters[early.id]!.id as string;
    expect((await call('GET', '/v1/dead-letters')).status).toBe(401);
    expect((await replay(id, '')).status).toBe(401);
    expect((await replay(id, t.mia)).status).toBe(403);
    expect((await replay(id, t.vic)).status).toBe(403);
    expect((await replay(id, t.carol, {})).status).toBe(400);
    expect((await replay(id, t.carol, { reason: 'ok' })).status).toBe(400);
    expect((await replay('999999', t.carol)).status).toBe(404);
    expect((await call('GET', '/v1/dead-letters/999999', t.vic)).status).toBe(404);
    expect((await call('GET', '/v1/dead-letters?state=lost', t.vic)).status).toBe(400);
    expect(letters[early.id]!.state).toBe('open');
    expect(await h.count(`select count(*)::int as n from ledger.dead_letters where state = 'open'`)).toBe(2);
  });

  it('a checker replays a letter once its cause is gone: the event is consumed and booked; a second replay is 409', async () => {
    await h.publish([payment]);
    await h.waitCaughtUp(group);
    expect(await stored(early.id)).toBe(0);
    const id = letters[early.id]!.id as string;
    const res = await replay(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'replayed', replayedBy: 'carol' });
    await waitFor(async () => ((await booked(early.id)) === 1 ? true : undefined), 30_000);
    expect(await stored(early.id)).toBe(1);
    expect((await replay(id)).status).toBe(409);
    const audit = await call('GET', `/v1/operator-actions?subject=dead-letter:${id}`, t.vic);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ operator: 'carol', action: 'dead-letter.replay', reason: 'original payment now booked' }),
    ]);
    const replayed = await call('GET', '/v1/dead-letters?state=replayed', t.vic);
    expect(replayed.body.items.map((l: Json) => l.id)).toEqual([id]);
  });

  it('replaying a letter whose event was booked meanwhile books it once (consumers de-duplicate by event id)', async () => {
    await h.publish([again]);
    await h.publishRaw([{ topic: h.topics.corrections, messages: [toKafkaMessage(redelivered, again.id)] }]);
    await h.waitCaughtUp(group);
    expect(await booked(redelivered.id)).toBe(1);
    expect((await replay(letters[redelivered.id]!.id as string)).status).toBe(200);
    await h.waitCaughtUp(group);
    expect(await booked(redelivered.id)).toBe(1);
    expect(await stored(redelivered.id)).toBe(1);
    expect(await h.count(`select count(*)::int as n from ledger.dead_letters`)).toBe(2);
    expect(metricValue(await scrapeMetrics(ledger.url), 'dead_letters_open')).toBe(0);
  });
});
