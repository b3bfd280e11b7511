import { uuidv4, type MmEvent } from '@mm/contracts';
import { debitApproved, debitDeclined, debitRequested, debitUnknown, paymentEvent } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** The read API over a known set of events, on the real database, through the real consumer. */
describe('ledger read API', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10); // yesterday (UTC): every request is past its deadline
  const at = (minute: number) => new Date(`${day}T10:${String(minute).padStart(2, '0')}:00.000Z`);

  const p1 = paymentEvent({ providerId: '200', customerId: 'api-A', amountMinor: '500', currency: 'RWF', time: at(1) });
  const p2 = paymentEvent({ providerId: '300', customerId: 'api-B', amountMinor: '1050', currency: 'KES', time: at(2) });
  const p3 = paymentEvent({ providerId: '200', customerId: 'api-A', amountMinor: '700', currency: 'RWF', time: at(3) });
  const pOtherDay = paymentEvent({
    providerId: '200',
    customerId: 'api-A',
    amountMinor: '1',
    currency: 'RWF',
    time: new Date(Date.parse(`${day}T00:00:01Z`) + 86_400_000),
  });
  const r1 = debitRequested({ accountNumber: 'api-payer', amountMinor: '100', time: at(10) });
  const r2 = debitRequested({ accountNumber: 'api-payer', time: at(11) });
  const r3 = debitRequested({ accountNumber: 'api-payer', time: at(12) });
  const r4 = debitRequested({ accountNumber: 'api-payer', time: at(13) });
  const orphan = debitApproved(debitRequested({ accountNumber: 'api-orphan', amountMinor: '50' }), '0');
  const results = [debitApproved(r1, '3'), debitDeclined(r2), debitUnknown(r3)];

  const get = async (path: string, headers: Record<string, string> = { 'X-API-Key': API_KEY }) => {
    const res = await fetch(`${ledger.url}${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    h = await LedgerHarness.create('api');
    const env = h.env();
    ledger = await startLedgerApp(env);
    const all: MmEvent[] = [p1, p2, p3, pOtherDay, r1, r2, r3, r4, ...results, orphan];
    await h.publish(all);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  const routes = [
    '/v1/payments',
    `/v1/payments/${p1.data.paymentId}`,
    `/v1/debits/${r1.data.commandId}`,
    '/v1/debits?state=APPROVED',
    '/v1/accounts/customer:api-A',
    '/v1/events',
    `/v1/reports/reconciliation?date=${day}`,
  ];

  it.each(routes)('%s refuses a request without a valid key, as JSON', async (path) => {
    const attempts: Record<string, string>[] = [
      {},
      { 'X-API-Key': 'wrong-key-0123456789' },
      { Authorization: `Bearer ${API_KEY}x` },
      { Authorization: API_KEY },
      { 'X-API-Key': '' },
    ];
    for (const headers of attempts) {
      const res = await get(path, headers);
      expect(res.status).toBe(401);
      expect(res.type).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED', message: expect.any(String) });
    }
  });

  it.each(routes)('%s answers with the key as X-API-Key or as a Bearer token', async (path) => {
    expect((await get(path)).status).toBe(200);
    expect((await get(path, { Authorization: `Bearer ${API_KEY}` })).status).toBe(200);
  });

  it('lists payments newest first, filtered, and walks every page with the cursor', async () => {
    const all = await get('/v1/payments?providerId=200');
    expect(all.body.items.map((p: Json) => p.paymentId)).toEqual([pOtherDay, p3, p1].map((p) => p.data.paymentId));
    expect(all.body.items[1]).toMatchObject({
      providerId: '200',
      customerId: 'api-A',
      amount: { amountMinor: '700', currency: 'RWF' },
      eventId: p3.id,
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Json } = await get(`/v1/payments?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((p: Json) => p.paymentId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([pOtherDay, p3, p2, p1].map((p) => p.data.paymentId));
    expect((await get('/v1/payments?currency=KES')).body.items.map((p: Json) => p.paymentId)).toEqual([p2.data.paymentId]);
    expect((await get('/v1/payments?customerId=api-B')).body.items).toHaveLength(1);
    const window = await get(`/v1/payments?from=${at(2).toISOString()}&to=${at(3).toISOString()}`);
    expect(window.body.items.map((p: Json) => p.paymentId)).toEqual([p2.data.paymentId]); // from inclusive, to exclusive
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=501', /limit/],
    ['limit=ten', /limit/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor/],
    ['cursor=%27%20or%201%3D1--', /cursor/],
    ['currency=XYZ', /currency/],
    ['from=yesterday', /from/],
    ['providerId=%27%3B%20drop%20table%20events%3B--', /providerId/],
    ['providerID=200', /providerID/],
    ['currency=RWF&currency=KES', /currency/],
  ])('refuses /v1/payments?%s with a 400 naming the parameter', async (qs, field) => {
    const res = await get(`/v1/payments?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST', message: expect.stringMatching(field) });
  });

  it('answers an unknown record or route with the shared error body', async () => {
    const id = uuidv4();
    expect(await get(`/v1/payments/${id}`)).toMatchObject({
      status: 404,
      type: expect.stringMatching(/application\/json/),
      body: { statusCode: 404, error: 'NOT_FOUND', message: expect.stringContaining(id) },
    });
    expect(await get('/v1/credits')).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) },
    });
  });

  it('shows one payment with its events and postings, 404 for an unknown one, 400 for a malformed id', async () => {
    const one = await get(`/v1/payments/${p1.data.paymentId}`);
    expect(one.body).toMatchObject({
      paymentId: p1.data.paymentId,
      eventId: p1.id,
      payment: { amount: { amountMinor: '500', currency: 'RWF' } },
    });
    expect(one.body.events).toEqual([
      expect.objectContaining({ id: p1.id, type: 'mm.payment.received.v1', source: expect.objectContaining({ topic: h.topics.payments }) }),
    ]);
    expect(one.body.postings).toEqual([
      { accountId: 'provider-clearing:200', currency: 'RWF', amountMinor: '500' },
      { accountId: 'customer:api-A', currency: 'RWF', amountMinor: '-500' },
    ]);
    expect((await get(`/v1/payments/${uuidv4()}`)).status).toBe(404);
    expect((await get(`/v1/payments/${encodeURIComponent("x' or '1'='1")}`)).status).toBe(400);
  });

  it('shows a debit command with its results and postings, and lists debits by state', async () => {
    const one = await get(`/v1/debits/${r1.data.commandId}`);
    expect(one.body).toMatchObject({
      commandId: r1.data.commandId,
      state: 'APPROVED',
      request: { id: r1.id },
      results: [{ outcome: 'APPROVED', id: results[0]!.id }],
    });
    expect(one.body.postings.map((p: Json) => [p.accountId, p.amountMinor])).toEqual([
      ['bixi-settlement', '97'],
      ['fees:bixi', '3'],
      ['payer:api-payer', '-100'],
    ]);
    expect((await get(`/v1/debits/${uuidv4()}`)).status).toBe(404);
    expect((await get('/v1/debits/not-a-uuid')).status).toBe(400);
    const byState = async (state: string) => (await get(`/v1/debits?state=${state}`)).body.items.map((d: Json) => d.commandId);
    expect(await byState('UNKNOWN')).toEqual([r3.data.commandId]);
    expect(await byState('DECLINED')).toEqual([r2.data.commandId]);
    expect(await byState('REQUESTED')).toEqual([r4.data.commandId]);
    expect((await get('/v1/debits?state=LOST')).status).toBe(400);
  });

  it('shows an account with its balance per currency from postings, and pages its postings', async () => {
    const account = await get('/v1/accounts/customer:api-A?limit=2');
    expect(account.body.balances).toEqual([{ currency: 'RWF', balanceMinor: '-1201', postings: 3 }]);
    expect(account.body.recentPostings).toHaveLength(2);
    const next = await get(`/v1/accounts/customer:api-A?limit=2&cursor=${account.body.nextCursor}`);
    expect(next.body.nextCursor).toBeNull();
    const walked: Json[] = [...account.body.recentPostings, ...next.body.recentPostings];
    expect(walked.map((p) => p.amountMinor).sort()).toEqual(['-1', '-500', '-700']);
    const ids = walked.map((p) => BigInt(p.postingId));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true); // newest first, no overlap between pages
    expect((await get('/v1/accounts/bixi-settlement')).body.balances).toEqual([{ currency: 'USD', balanceMinor: '147', postings: 2 }]);
    expect((await get('/v1/accounts/customer:nobody')).status).toBe(404);
    expect((await get('/v1/accounts/customer:api-A?cursor=zzz')).status).toBe(400);
    expect((await get(`/v1/accounts/${encodeURIComponent('a b')}`)).status).toBe(400);
  });

  it('lists raw events filtered by type and time', async () => {
    const declined = await get('/v1/events?type=mm.debit.declined.v1');
    expect(declined.body.items).toEqual([
      expect.objectContaining({ id: results[1]!.id, envelope: expect.objectContaining({ id: results[1]!.id }) }),
    ]);
    const window = await get(`/v1/events?from=${at(10).toISOString()}&to=${at(13).toISOString()}&type=mm.debit.requested.v1`);
    expect(window.body.items.map((e: Json) => e.id)).toEqual([r3.id, r2.id, r1.id]);
    expect((await get('/v1/events?type=DROP%20TABLE')).status).toBe(400);
  });

  it('reports the day per provider/operator/currency and flags missing results, unknown outcomes and orphan results', async () => {
    const { body } = await get(`/v1/reports/reconciliation?date=${day}`);
    expect(body.payments).toEqual([
      { providerId: '200', operator: 'Mobile_provider', currency: 'RWF', count: 2, totalMinor: '1200' },
      { providerId: '300', operator: 'Mobile_provider', currency: 'KES', count: 1, totalMinor: '1050' },
    ]);
    expect(body.debits).toEqual([
      {
        provider: 'bixi',
        operator: 'mmt',
        currency: 'USD',
        requested: { count: 4, amountMinor: '400' },
        approved: { count: 1, amountMinor: '100', chargesMinor: '3', totalMinor: '97' },
        declined: { count: 1, amountMinor: '100' },
        unknown: { count: 1, amountMinor: '100' },
        awaitingResult: { count: 1, amountMinor: '100' },
      },
    ]);
    expect(body.ledger.every((l: Json) => l.balanced)).toBe(true);
    const flags = body.flags.map((f: Json) => [f.kind, f.commandId]);
    expect(flags).toEqual(
      expect.arrayContaining([
        ['MISSING_RESULT', r4.data.commandId],
        ['OUTCOME_UNKNOWN', r3.data.commandId],
      ]),
    );
    expect(flags).not.toContainEqual(['MISSING_RESULT', r1.data.commandId]);
    const today = await get(`/v1/reports/reconciliation?date=${new Date().toISOString().slice(0, 10)}`);
    expect(today.body.flags.map((f: Json) => [f.kind, f.commandId])).toContainEqual(['RESULT_WITHOUT_REQUEST', orphan.data.commandId]);
  });

  it.each(['', 'date=2026-02-30', 'date=20261123', 'date=2026-11-23&extra=1'])('refuses the report for %p with a 400', async (qs) => {
    const res = await get(`/v1/reports/reconciliation?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('BAD_REQUEST');
  });
});
