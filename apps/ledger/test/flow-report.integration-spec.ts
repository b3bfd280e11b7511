import type { MmEvent } from '@mm/contracts';
import { debitApproved, debitDeclined, debitRequested, debitUnknown, paymentEvent } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** `GET /v1/reports/flow`: events per minute and type, from the real database through the real consumer. */
describe('ledger flow report', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  const base = Date.now();
  const minute = (ago: number) => {
    const t = new Date(base - ago * 60_000);
    t.setUTCSeconds(30, 0);
    return t;
  };
  const r1 = debitRequested({ accountNumber: 'flow-payer', time: minute(2) });
  const r2 = debitRequested({ accountNumber: 'flow-payer', time: minute(2) });
  const r3 = debitRequested({ accountNumber: 'flow-payer', time: minute(2) });
  const events: MmEvent[] = [
    paymentEvent({ providerId: '200', customerId: 'flow-A', time: minute(1) }),
    paymentEvent({ providerId: '200', customerId: 'flow-A', time: minute(1) }),
    paymentEvent({ providerId: '200', customerId: 'flow-B', time: minute(3) }),
    // Outside a 10-minute window: never counted there.
    paymentEvent({ providerId: '200', customerId: 'flow-old', time: minute(30) }),
    r1,
    r2,
    r3,
    { ...debitApproved(r1), time: minute(1).toISOString() },
    { ...debitDeclined(r2), time: minute(1).toISOString() },
    { ...debitUnknown(r3), time: minute(1).toISOString() },
  ];

  const get = async (path: string, headers: Record<string, string> = { 'X-API-Key': API_KEY }) => {
    const res = await fetch(`${ledger.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    h = await LedgerHarness.create('flow');
    const env = h.env();
    ledger = await startLedgerApp(env);
    await h.publish(events);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('counts events per minute and type over the window, oldest first', async () => {
    const res = await get('/v1/reports/flow?minutes=10');
    expect(res.status).toBe(200);
    expect(res.body.minutes).toBe(10);
    const iso = (ago: number) => new Date(Math.floor(minute(ago).getTime() / 60_000) * 60_000).toISOString();
    expect(res.body.buckets).toEqual([
      { minute: iso(3), type: 'mm.payment.received.v1', count: 1 },
      { minute: iso(2), type: 'mm.debit.requested.v1', count: 3 },
      { minute: iso(1), type: 'mm.debit.approved.v1', count: 1 },
      { minute: iso(1), type: 'mm.debit.declined.v1', count: 1 },
      { minute: iso(1), type: 'mm.debit.outcome-unknown.v1', count: 1 },
      { minute: iso(1), type: 'mm.payment.received.v1', count: 2 },
    ]);
    // The window starts nine whole minutes before the current one (a minute later if the clock turned meanwhile).
    expect([Date.parse(iso(9)), Date.parse(iso(8))]).toContain(Date.parse(res.body.from));
    const wide = await get('/v1/reports/flow?minutes=60');
    expect(wide.body.buckets).toContainEqual({ minute: iso(30), type: 'mm.payment.received.v1', count: 1 });
    // The default window is the last hour.
    expect((await get('/v1/reports/flow')).body.minutes).toBe(60);
  });

  it('refuses a request without the API key', async () => {
    for (const headers of [{}, { 'X-API-Key': 'wrong-key-0123456789' }] as Record<string, string>[])
      expect((await get('/v1/reports/flow', headers)).status).toBe(401);
  });

  it.each(['minutes=0', 'minutes=1441', 'minutes=ten', 'minutes=1.5', 'minutes=10&minutes=20', 'hours=1', `minutes=${'9'.repeat(400)}`])(
    'refuses a malformed query (%s) with 400',
    async (query) => {
      const res = await get(`/v1/reports/flow?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400 });
    },
  );
});
