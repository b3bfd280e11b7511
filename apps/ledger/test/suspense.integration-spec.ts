import type { MmEvent } from '@mm/contracts';
import { metricValue, scrapeMetrics } from '@mm/testing';
import { debitRequested, debitResolved, debitUnknown } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

const HOUR = 3_600_000;

/** Open suspense (UNKNOWN debits not yet resolved) with its age, and the daily report's new blocks. */
describe('open suspense', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let group: string;

  /** An UNKNOWN outcome `hoursAgo` hours old. */
  const unknown = (amountMinor: string, hoursAgo: number) => {
    const request = debitRequested({
      accountNumber: `susp-${amountMinor}`,
      amountMinor,
      time: new Date(Date.now() - hoursAgo * HOUR - 1000),
    });
    const outcome = debitUnknown(request);
    outcome.time = new Date(Date.now() - hoursAgo * HOUR).toISOString();
    return { request, outcome };
  };
  const recent = unknown('100', 0);
  const hours = unknown('250', 2);
  const days = unknown('400', 30);
  const resolvedEarlier = unknown('700', 3);

  const get = async (path: string, headers: Record<string, string> = { 'X-API-Key': API_KEY }) => {
    const res = await fetch(`${ledger.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const publish = async (events: MmEvent[]) => {
    await h.publish(events);
    await h.waitCaughtUp(group);
  };

  beforeAll(async () => {
    h = await LedgerHarness.create('suspense');
    const env = h.env();
    group = env.LEDGER_CONSUMER_GROUP!;
    ledger = await startLedgerApp(env);
    const all = [recent, hours, days, resolvedEarlier].flatMap((d) => [d.request, d.outcome]);
    await publish([...all, debitResolved(resolvedEarlier.request, 'NOT_DEBITED')]);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('needs the API key', async () => {
    const attempts: Record<string, string>[] = [{}, { 'X-API-Key': 'wrong-key-0123456789' }];
    for (const headers of attempts) expect((await get('/v1/suspense', headers)).status).toBe(401);
  });

  it('lists each open UNKNOWN debit, oldest first, with its age, and the totals per currency and age', async () => {
    const { status, body } = await get('/v1/suspense');
    expect(status).toBe(200);
    expect(body.items.map((i: Json) => i.commandId)).toEqual([days, hours, recent].map((d) => d.request.data.commandId));
    expect(body.items[0]).toMatchObject({
      account: 'susp-400',
      accountType: 'mmt',
      amount: { amountMinor: '400', currency: 'USD' },
      since: days.outcome.time,
      age: '1-7d',
    });
    const ages = body.items.map((i: Json) => i.ageSeconds as number);
    expect(ages[0]).toBeGreaterThanOrEqual(30 * 3600);
    expect(ages[0]).toBeLessThan(30 * 3600 + 120);
    expect(ages[1]).toBeGreaterThanOrEqual(2 * 3600);
    expect(ages[1]).toBeLessThan(2 * 3600 + 120);
    expect(ages[2]).toBeLessThan(120);
    expect(body.totals).toEqual([{ currency: 'USD', count: 3, amountMinor: '750' }]);
    expect(body.byAge).toEqual([
      { currency: 'USD', age: '<1h', count: 1, amountMinor: '100' },
      { currency: 'USD', age: '1-24h', count: 1, amountMinor: '250' },
      { currency: 'USD', age: '1-7d', count: 1, amountMinor: '400' },
    ]);
    // The ledger agrees: what is open is exactly what bixi-suspense holds.
    const [suspense] = await h.query<{ balance: string }>(
      `select sum(amount_minor)::text as balance from ledger.postings where account_id = 'bixi-suspense' and currency = 'USD'`,
    );
    expect(suspense?.balance).toBe('750');
  });

  it('exposes the open suspense and the age of its oldest debit on /metrics', async () => {
    const text = await scrapeMetrics(ledger.url);
    expect(metricValue(text, 'ledger_suspense_open')).toBe(3);
    const age = metricValue(text, 'ledger_suspense_oldest_age_seconds');
    expect(age).toBeGreaterThanOrEqual(30 * 3600);
    expect(age).toBeLessThan(30 * 3600 + 120);
  });

  it('pages with limit and cursor, and refuses a foreign cursor', async () => {
    const first = await get('/v1/suspense?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await get(`/v1/suspense?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: Json) => i.commandId)).toEqual([recent.request.data.commandId]);
    expect(second.body.nextCursor).toBeNull();
    expect((await get('/v1/suspense?cursor=bm9wZQ')).status).toBe(400);
    expect((await get('/v1/suspense?limit=0')).status).toBe(400);
  });

  it('shows open suspense and open provider breaks in the daily report', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { status, body } = await get(`/v1/reports/reconciliation?date=${today}`);
    expect(status).toBe(200);
    expect(body.openSuspense).toEqual([
      { currency: 'USD', age: '<1h', count: 1, amountMinor: '100' },
      { currency: 'USD', age: '1-24h', count: 1, amountMinor: '250' },
      { currency: 'USD', age: '1-7d', count: 1, amountMinor: '400' },
    ]);
    expect(body.breaks.provider.open).toHaveLength(5);
    expect(body.breaks.provider.open.every((o: Json) => o.count === 0)).toBe(true);
    expect(body.breaks.bixi).toMatch(/payment-debit/);
  });

  it('drops a debit from open suspense once its resolution is booked', async () => {
    await publish([debitResolved(hours.request, 'DEBITED')]);
    const { body } = await get('/v1/suspense');
    expect(body.items.map((i: Json) => i.commandId)).toEqual([days, recent].map((d) => d.request.data.commandId));
    expect(body.totals).toEqual([{ currency: 'USD', count: 2, amountMinor: '500' }]);
    expect(body.byAge.map((b: Json) => b.age)).toEqual(['<1h', '1-7d']);
    expect(metricValue(await scrapeMetrics(ledger.url), 'ledger_suspense_open')).toBe(2);
  });
});
