import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  createEnvelope,
  LEDGER_CORRECTION_APPROVED,
  toKafkaMessage,
  uuidv4,
  uuidv7,
  type CorrectionApprovedEvent,
  type MmEvent,
} from '@mm/contracts';
import { collectMessages, waitFor } from '@mm/testing';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { correctionApproved, debitApproved, debitRequested, paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';
import { forgedToken, operatorClient, operatorToken, type Json } from './support/operators';

const REPLAY = join(__dirname, '..', 'dist', 'cli', 'replay.js');

/** Corrections by two operators, through the running ledger: HTTP, its outbox, its own topic, its consumer, the replay. */
describe('ledger corrections', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let published: KafkaMessage[];
  let reader: Consumer | undefined;
  const call = operatorClient(() => ledger.url);
  const t: Record<string, string> = {};
  const pay = (customerId: string, amountMinor = '1000') => paymentEvent({ providerId: '700', customerId, amountMinor, currency: 'RWF' });
  const [full, partial, race, hostile] = [pay('corr-full'), pay('corr-partial'), pay('corr-race'), pay('corr-hostile', '500')];
  const request = debitRequested({ accountNumber: 'corr-payer', amountMinor: '100' });
  const debit = debitApproved(request, '3');
  const rwf = (amountMinor: string) => ({ amountMinor, currency: 'RWF' });

  const propose = (eventId: string, amount: unknown, token = t.alice) =>
    call('POST', '/v1/corrections', token, { eventId, amount, reason: 'duplicate notification' });
  const approve = (id: string, token = t.bob) => call('POST', `/v1/corrections/${id}/approve`, token);
  const linesOf = (eventId: string) =>
    h.query<{ account_id: string; amount_minor: string }>(
      `select p.account_id, p.amount_minor::text from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id
        where j.event_id = $1 order by p.account_id`,
      [eventId],
    );
  const balance = async (account: string) =>
    (
      await h.query<{ s: string }>(`select coalesce(sum(amount_minor), 0)::text as s from ledger.postings where account_id = $1`, [account])
    )[0]!.s;
  const booked = (eventId: string) => waitFor(async () => ((await linesOf(eventId)).length > 0 ? true : undefined));
  const correctionsOf = (original: string) =>
    h.count(`select count(*)::int as n from ledger.events where type = $1 and envelope->'data'->>'originalEventId' = $2`, [
      LEDGER_CORRECTION_APPROVED,
      original,
    ]);

  beforeAll(async () => {
    h = await LedgerHarness.create('corrections');
    const env = h.env();
    ledger = await startLedgerApp(env);
    ({ messages: published, consumer: reader } = await collectMessages(h.kafka, [h.topics.corrections], `corrections-reader-${uuidv4()}`));
    for (const [name, roles] of [
      ['alice', ['maker']],
      ['bob', ['checker']],
      ['carol', ['checker']],
      ['vic', ['viewer']],
      ['dual', ['maker', 'checker']],
    ] as const) {
      t[name] = await operatorToken(name, [...roles]);
    }
    await h.publish([full, partial, race, hostile, request, debit] as MmEvent[]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
  });

  afterAll(async () => {
    await reader?.disconnect();
    await ledger?.close();
    await h?.close();
  });

  it('refuses callers without a valid token (401) or without the role (403)', async () => {
    const forged = await forgedToken('bob', ['checker']);
    const expired = await operatorToken('alice', ['maker'], -60);
    const [head, , sig] = t.alice!.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ sub: 'alice', roles: ['checker'], iss: 'mm', aud: 'mm', exp: 4e9 })).toString('base64url')}.${sig}`;
    for (const token of [undefined, forged, tampered, expired, 'not-a-jwt']) {
      const body = { eventId: full.id, amount: rwf('1'), reason: 'x' };
      expect((await call('POST', '/v1/corrections', token, body)).status).toBe(401);
      expect((await call('GET', '/v1/corrections', token)).status).toBe(401);
      expect((await call('GET', '/v1/operator-actions', token)).status).toBe(401);
    }
    expect((await propose(full.id, rwf('1'), t.bob)).status).toBe(403);
    expect((await propose(full.id, rwf('1'), t.vic)).status).toBe(403);
    expect((await approve(uuidv4(), t.alice)).status).toBe(403);
    expect((await call('POST', `/v1/corrections/${uuidv4()}/reject`, t.vic, { reason: 'no' })).status).toBe(403);
    expect(await h.count(`select count(*)::int as n from ledger.correction_proposals`)).toBe(0);
  });

  it('refuses malformed, oversized and hostile bodies with 400/413, naming the field', async () => {
    const bodies: unknown[] = [
      {},
      { eventId: full.id, amount: rwf('1') },
      { eventId: full.id, amount: rwf('1'), reason: 'x', extra: true },
      { eventId: full.id, amount: rwf('0'), reason: 'x' },
      { eventId: full.id, amount: rwf('-5'), reason: 'x' },
      { eventId: full.id, amount: rwf('1.5'), reason: 'x' },
      { eventId: full.id, amount: { amountMinor: 5, currency: 'RWF' }, reason: 'x' },
      { eventId: full.id, amount: { amountMinor: '5', currency: 'XYZ' }, reason: 'x' },
      { eventId: full.id, amount: rwf('99999999999999999999'), reason: 'x' },
      { eventId: full.id, amount: rwf('5'), reason: '   ' },
      { eventId: full.id, amount: rwf('5'), reason: 'a\u0000b' },
      { eventId: 'x'.repeat(129), amount: rwf('5'), reason: 'x' },
      [],
    ];
    for (const body of bodies) {
      const res = await call('POST', '/v1/corrections', t.alice, body);
      expect({ body, status: res.status, error: res.body.error }).toEqual({ body, status: 400, error: 'BAD_REQUEST' });
    }
    expect((await call('POST', '/v1/corrections', t.alice, undefined, '{"eventId":')).status).toBe(400);
    expect(
      (await call('POST', '/v1/corrections', t.alice, { eventId: full.id, amount: rwf('1'), reason: 'x'.repeat(70_000) })).status,
    ).toBe(413);
    expect((await approve('not-a-uuid')).status).toBe(400);
    expect((await call('POST', `/v1/corrections/${uuidv4()}/reject`, t.bob, { reason: '' })).status).toBe(400);
    expect((await call('GET', '/v1/corrections?state=DONE', t.vic)).status).toBe(400);
    expect((await call('GET', '/v1/corrections?cursor=abc', t.vic)).status).toBe(400);
    expect(await h.count(`select count(*)::int as n from ledger.correction_proposals`)).toBe(0);
  });

  it('refuses what cannot be corrected: unknown event, no money moved, other currency, more than the amount', async () => {
    expect(await propose(uuidv4(), rwf('1'))).toMatchObject({ status: 422, body: { message: expect.stringMatching(/not in the ledger/) } });
    expect(await propose(request.id, { amountMinor: '1', currency: 'USD' })).toMatchObject({ status: 422 });
    expect(await propose(full.id, { amountMinor: '1', currency: 'KES' })).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/RWF/) },
    });
    expect(await propose(full.id, rwf('1001'))).toMatchObject({ status: 409, body: { message: expect.stringMatching(/at most 1000/) } });
  });

  it('reverses a payment in full: checker ≠ maker, approving twice books once, the event is on the correction topic', async () => {
    const proposed = await propose(full.id, rwf('1000'));
    expect(proposed).toMatchObject({
      status: 201,
      body: { state: 'PROPOSED', makerId: 'alice', originalEventType: 'mm.payment.received.v1' },
    });
    const id = proposed.body.id as string;
    const own = await call('POST', '/v1/corrections', t.dual, { eventId: full.id, amount: rwf('1'), reason: 'mine' });
    expect((await approve(own.body.id, t.dual)).status).toBe(403); // nobody approves their own proposal
    const first = await approve(id);
    expect(first).toMatchObject({ status: 200, body: { state: 'APPROVED', checkerId: 'bob', correctionId: expect.any(String) } });
    expect(await approve(id)).toEqual(first);
    expect(await approve(id, t.carol)).toEqual(first);
    await booked(first.body.correctionId);
    expect(await linesOf(first.body.correctionId)).toEqual([
      { account_id: 'customer:corr-full', amount_minor: '1000' },
      { account_id: 'provider-clearing:700', amount_minor: '-1000' },
    ]);
    expect(await balance('customer:corr-full')).toBe('0');
    expect(
      await h.count(
        `select count(*)::int as n from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id where j.event_id = $1`,
        [full.id],
      ),
    ).toBe(2);
    const onTopic = await waitFor(
      () => published.filter((m) => m.headers?.ce_id?.toString() === first.body.correctionId).length || undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(onTopic).toBe(1);
    const event = JSON.parse(published.find((m) => m.headers?.ce_id?.toString() === first.body.correctionId)!.value!.toString()) as Json;
    expect(event).toMatchObject({
      type: LEDGER_CORRECTION_APPROVED,
      data: { proposalId: id, makerId: 'alice', checkerId: 'bob', amount: rwf('1000') },
    });
    expect(await correctionsOf(full.id)).toBe(1);
    // Nothing is left: neither a new proposal nor the pending one can reverse more.
    expect((await propose(full.id, rwf('1'))).status).toBe(409);
    expect(await approve(own.body.id, t.bob)).toMatchObject({ status: 409, body: { message: expect.stringMatching(/already were/) } });
  });

  it('reverses a payment in part; of two proposals within the amount, the approval that would exceed it is refused', async () => {
    const a = await propose(partial.id, rwf('300'));
    const approved = await approve(a.body.id);
    await booked(approved.body.correctionId);
    expect(await linesOf(approved.body.correctionId)).toEqual([
      { account_id: 'customer:corr-partial', amount_minor: '300' },
      { account_id: 'provider-clearing:700', amount_minor: '-300' },
    ]);
    expect(await balance('customer:corr-partial')).toBe('-700');
    const [b, c] = [await propose(partial.id, rwf('400')), await propose(partial.id, rwf('400'))];
    expect([b.status, c.status]).toEqual([201, 201]);
    expect((await approve(b.body.id)).status).toBe(200);
    expect(await approve(c.body.id, t.carol)).toMatchObject({
      status: 409,
      body: { message: expect.stringMatching(/700 already were and at most 300/) },
    });
    expect((await call('GET', `/v1/corrections/${c.body.id}`, t.vic)).body.state).toBe('PROPOSED');
    await waitFor(async () => ((await correctionsOf(partial.id)) === 2 ? true : undefined));
    expect(await balance('customer:corr-partial')).toBe('-300');
  });

  it('lets only one of two concurrent approvals through when together they would exceed the amount', async () => {
    const [a, b] = [await propose(race.id, rwf('600')), await propose(race.id, rwf('600'))];
    const answers = await Promise.all([
      approve(a.body.id, t.bob),
      approve(b.body.id, t.carol),
      approve(a.body.id, t.carol),
      approve(b.body.id, t.bob),
    ]);
    const approvedIds = new Set(answers.filter((r) => r.status === 200).map((r) => r.body.id as string));
    expect(approvedIds.size).toBe(1);
    expect(answers.filter((r) => r.status === 409).length).toBe(2);
    const [winner] = [...approvedIds];
    const correctionIds = new Set(answers.filter((r) => r.status === 200).map((r) => r.body.correctionId as string));
    expect(correctionIds.size).toBe(1);
    await waitFor(async () => ((await correctionsOf(race.id)) === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(await correctionsOf(race.id)).toBe(1);
    expect(await h.count(`select count(*)::int as n from ledger.outbox where payload::jsonb->'data'->>'proposalId' = $1`, [winner])).toBe(
      1,
    );
    expect(await balance('customer:corr-race')).toBe('-400');
  });

  it('reverses an approved debit in part from settlement, fees untouched, and then refuses the full amount', async () => {
    const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' });
    const approved = await approve((await propose(debit.id, usd('50'))).body.id);
    await booked(approved.body.correctionId);
    expect(await linesOf(approved.body.correctionId)).toEqual([
      { account_id: 'bixi-settlement', amount_minor: '-50' },
      { account_id: 'payer:corr-payer', amount_minor: '50' },
    ]);
    expect(await balance('payer:corr-payer')).toBe('-50');
    expect(await propose(debit.id, usd('100'))).toMatchObject({ status: 409, body: { message: expect.stringMatching(/settlement/) } });
  });

  it('rejects by a checker other than the maker, once; a rejected proposal cannot be approved', async () => {
    const p = await propose(hostile.id, rwf('10'));
    const own = await call('POST', '/v1/corrections', t.dual, { eventId: hostile.id, amount: rwf('1'), reason: 'x' });
    expect((await call('POST', `/v1/corrections/${own.body.id}/reject`, t.dual, { reason: 'mine' })).status).toBe(403);
    const rejected = await call('POST', `/v1/corrections/${p.body.id}/reject`, t.bob, { reason: 'not a duplicate' });
    expect(rejected).toMatchObject({ status: 200, body: { state: 'REJECTED', checkerId: 'bob', decidedReason: 'not a duplicate' } });
    expect(await call('POST', `/v1/corrections/${p.body.id}/reject`, t.carol, { reason: 'again' })).toEqual(rejected);
    expect((await approve(p.body.id)).status).toBe(409);
    expect((await approve(uuidv4())).status).toBe(404);
    expect((await call('GET', `/v1/corrections/${uuidv4()}`, t.vic)).status).toBe(404);
  });

  it('lists corrections by state, page by page, and the audit trail of every decision', async () => {
    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Json } = await call('GET', `/v1/corrections?limit=2${cursor ? `&cursor=${cursor}` : ''}`, t.vic);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as Json[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBe(await h.count(`select count(*)::int as n from ledger.correction_proposals`));
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
    const approvedOnly = (await call('GET', '/v1/corrections?state=APPROVED&limit=500', t.alice)).body.items as Json[];
    expect(approvedOnly.length).toBe(5); // full, partial ×2, the race's winner, the debit
    expect(approvedOnly.every((c) => c.state === 'APPROVED' && c.checkerId !== c.makerId)).toBe(true);
    const actions = (await call('GET', '/v1/operator-actions?action=correction.approve&limit=500', t.vic)).body.items as Json[];
    expect(actions.map((a) => a.subject as string).sort()).toEqual(approvedOnly.map((c) => `correction:${c.id as string}`).sort());
    expect(actions.every((a) => ['bob', 'carol'].includes(a.operator as string))).toBe(true);
    const firstPage = await call('GET', '/v1/operator-actions?operator=alice&action=correction.propose&limit=1', t.vic);
    const secondPage = await call(
      'GET',
      `/v1/operator-actions?operator=alice&action=correction.propose&limit=1&cursor=${firstPage.body.nextCursor as string}`,
      t.vic,
    );
    expect(secondPage.status).toBe(200);
    expect(secondPage.body.items).toHaveLength(1);
    expect(secondPage.body.items[0].id).not.toBe(firstPage.body.items[0].id);
    expect((await call('GET', '/v1/operator-actions?cursor=WyJ4Il0', t.vic)).status).toBe(400);
  });

  it('dead-letters a correction published on the topic that would over-reverse, or names a missing original; books a replay once', async () => {
    const forge = (originalEventId: string, amountMinor: string, originalEventType = 'mm.payment.received.v1' as const) =>
      correctionApproved(originalEventId, amountMinor, { originalEventType });
    const over = forge(hostile.id, '501');
    const unknown = forge(uuidv4(), '1');
    const wrongType = { ...forge(debit.id, '1') };
    const ok = forge(hostile.id, '200');
    const tooMuchAfter = forge(hostile.id, '301');
    const replayed = published[0]!;
    await h.publishRaw([
      { topic: h.topics.corrections, messages: [over, unknown, wrongType, ok, tooMuchAfter].map((e) => toKafkaMessage(e, hostile.id)) },
      { topic: h.topics.corrections, messages: [{ key: replayed.key, value: replayed.value, headers: replayed.headers as never }] },
    ]);
    const dead = await waitFor(async () => {
      const { messages, consumer } = await collectMessages(h.kafka, [h.topics.dlq], `dlq-${uuidv4()}`);
      await new Promise((r) => setTimeout(r, 1500));
      await consumer.disconnect();
      return messages.length >= 4 ? messages : undefined;
    }, 30_000);
    const reasonOf = (id: string) => dead.find((m) => m.headers?.mm_dlq_event_id?.toString() === id)?.headers?.mm_dlq_reason?.toString();
    expect(reasonOf(over.id)).toMatch(/EXCEEDS_REMAINING/);
    expect(reasonOf(unknown.id)).toMatch(/not in the ledger/);
    expect(reasonOf(wrongType.id)).toMatch(/is a mm.debit.approved.v1/);
    expect(reasonOf(tooMuchAfter.id)).toMatch(/200 already were and at most 300/);
    expect(reasonOf(ok.id)).toBeUndefined();
    expect(dead.length).toBe(4);
    for (const e of [over, unknown, wrongType, tooMuchAfter])
      expect(await h.count(`select count(*)::int as n from ledger.events where id = $1`, [e.id])).toBe(0);
    expect(await balance('customer:corr-hostile')).toBe('-300');
    expect(await correctionsOf(full.id)).toBe(1);
  });

  it('the replay tool rebuilds the corrections: identical postings', () => {
    const run = spawnSync(process.execPath, [REPLAY], {
      env: { ...process.env, DATABASE_URL: h.db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/identical: \d+ events/);
    expect(run.stdout).toMatch(/customer:corr-partial\s+RWF\s+-300\s+-300/);
    expect(run.status).toBe(0);
  });
});
