import { uuidv4, type MmEvent } from '@mm/contracts';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { DebitsRead } from '../src/read-ledger/debits.read';
import { PaymentsRead, type PaymentFilter } from '../src/read-ledger/payments.read';
import { debitApproved, debitRequested, debitUnknown, paymentEvent } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** Every search key of the read API on the real database, hostile values included, and the indexes its queries use. */
describe('ledger search keys', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  const at = (minute: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + minute * 60_000);
  const msisdn = '+250788111222';
  const p1 = paymentEvent({ providerId: '200', customerId: 's-A', msisdn, accountNumber: 'ACC-9', time: at(1) });
  const p2 = paymentEvent({ providerId: '300', customerId: 's-B', msisdn, time: at(2) });
  const p3 = paymentEvent({ providerId: '200', customerId: 's-A', transactionId: "tx'; drop table events; --", time: at(3) });
  const p4 = paymentEvent({ providerId: '200', customerId: 's-A', accountNumber: 'ACC-9', time: at(24 * 60 + 5) });
  const r1 = debitRequested({ accountNumber: 's-payer', time: at(10) });
  const r2 = debitRequested({ accountNumber: 's-payer', time: at(11) });
  const stale = debitRequested({ accountNumber: 's-stale', amountMinor: '900', time: at(12) });
  const staleUnknown = { ...debitUnknown(stale), time: at(13).toISOString() };

  const get = async (path: string) => {
    const res = await fetch(`${ledger.url}${path}`, { headers: { 'X-API-Key': API_KEY } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const paymentIds = async (qs: string) => {
    const res = await get(`/v1/payments?${qs}`);
    expect(res.status).toBe(200);
    return res.body.items.map((p: Json) => p.paymentId);
  };

  beforeAll(async () => {
    h = await LedgerHarness.create('search');
    const env = h.env();
    ledger = await startLedgerApp(env);
    const all: MmEvent[] = [p1, p2, p3, p4, r1, r2, debitApproved(r1, '3'), stale, staleUnknown];
    await h.publish(all);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('finds payments by msisdn in any international form, normalised as ingest stores it', async () => {
    for (const form of [msisdn, '+250 788 111 222', '00250788111222', '250788111222', '+250 (788) 111-222'])
      expect(await paymentIds(`msisdn=${encodeURIComponent(form)}`)).toEqual([p2.data.paymentId, p1.data.paymentId]);
    expect(await paymentIds(`msisdn=${encodeURIComponent(msisdn)}&providerId=300`)).toEqual([p2.data.paymentId]);
    expect(await paymentIds('msisdn=%2B250788999000')).toEqual([]);
  });

  it('finds a payment by transactionId, SQL metacharacters and all, and by account number and day', async () => {
    expect(await paymentIds(`transactionId=${encodeURIComponent(p1.data.transactionId)}`)).toEqual([p1.data.paymentId]);
    expect(await paymentIds(`transactionId=${encodeURIComponent(p3.data.transactionId)}`)).toEqual([p3.data.paymentId]);
    expect(await paymentIds(`transactionId=${encodeURIComponent("x' or '1'='1")}`)).toEqual([]);
    expect(await h.count('select count(*)::int as n from ledger.events')).toBe(9);
    expect(await paymentIds('accountNumber=ACC-9')).toEqual([p4.data.paymentId, p1.data.paymentId]);
    expect(await paymentIds('accountNumber=ACC-9&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z')).toEqual([p1.data.paymentId]);
    expect(await paymentIds('customerId=s-A&providerId=200&to=2026-11-21T00:00:00%2B00:00')).toEqual([
      p3.data.paymentId,
      p1.data.paymentId,
    ]);
  });

  it('finds a debit by commandId, alone or with its account', async () => {
    const ids = async (qs: string) => (await get(`/v1/debits?${qs}`)).body.items.map((d: Json) => [d.commandId, d.state]);
    expect(await ids(`commandId=${r1.data.commandId}`)).toEqual([[r1.data.commandId, 'APPROVED']]);
    expect(await ids(`commandId=${r2.data.commandId}&accountNumber=s-payer`)).toEqual([[r2.data.commandId, 'REQUESTED']]);
    expect(await ids(`commandId=${r2.data.commandId}&accountNumber=other`)).toEqual([]);
    expect(await ids(`commandId=${uuidv4()}`)).toEqual([]);
  });

  it('puts an UNKNOWN debit open for more than seven days in the >7d bucket of open suspense', async () => {
    const { body } = await get('/v1/suspense');
    expect(body.items).toEqual([expect.objectContaining({ commandId: stale.data.commandId, age: '>7d' })]);
    expect(body.byAge).toEqual([{ currency: 'USD', age: '>7d', count: 1, amountMinor: '900' }]);
  });

  it.each([
    ['/v1/payments', `msisdn=${encodeURIComponent("' or 1=1 --")}`, 'msisdn'],
    ['/v1/payments', 'msisdn=0788111222', 'msisdn'],
    ['/v1/payments', `msisdn=${'1'.repeat(33)}`, 'msisdn'],
    ['/v1/payments', 'msisdn=a&msisdn=b', 'msisdn'],
    ['/v1/payments', `transactionId=${'x'.repeat(129)}`, 'transactionId'],
    ['/v1/payments', 'transactionId=a%00b', 'transactionId'],
    ['/v1/payments', 'transactionId=', 'transactionId'],
    ['/v1/payments', `accountNumber=${'9'.repeat(129)}`, 'accountNumber'],
    ['/v1/payments', 'providerId=200%27%3B--', 'providerId'],
    ['/v1/payments', 'from=2026-02-30T00:00:00Z', 'from'],
    ['/v1/payments', 'to=yesterday', 'to'],
    ['/v1/payments', 'from=2026-11-20', 'from'],
    ['/v1/debits', 'commandId=not-a-uuid', 'commandId'],
    ['/v1/debits', `commandId=${encodeURIComponent("1' or '1'='1")}`, 'commandId'],
    ['/v1/debits', `accountNumber=${'9'.repeat(65)}`, 'accountNumber'],
    ['/v1/debits', 'msisdn=250788111222', 'msisdn'],
  ])('%s?%s is a 400 naming %s', async (path, qs, field) => {
    const res = await get(`${path}?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST', message: expect.stringContaining(field) });
  });

  describe('query plans', () => {
    let captured: { sql: string; params: unknown[] } | undefined;
    const capture = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) } as unknown as DataSource;
    const planOf = async (run: () => Promise<unknown>) => {
      await run();
      const c = new Client({ connectionString: h.db.url });
      await c.connect();
      try {
        await c.query('set search_path = ledger');
        // The test table is tiny: without this the planner rightly prefers a sequential scan to any index.
        await c.query('set enable_seqscan = off');
        const rows = (await c.query(`explain (format json) ${captured!.sql}`, captured!.params)).rows;
        return JSON.stringify(rows);
      } finally {
        await c.end();
      }
    };
    const payments = (f: Omit<PaymentFilter, 'limit'>) => () => new PaymentsRead(capture).list({ ...f, limit: 50 });

    it.each([
      ['providerId', { providerId: '200' }, 'events_provider_id_idx'],
      ['customerId', { customerId: 's-A' }, 'events_customer_id_idx'],
      ['msisdn', { msisdn }, 'events_msisdn_idx'],
      ['transactionId', { transactionId: 'tx-1' }, 'events_transaction_id_idx'],
      ['accountNumber', { accountNumber: 'ACC-9' }, 'events_account_number_idx'],
    ])('payments by %s use their column index', async (_key, filter, index) => {
      expect(await planOf(payments(filter))).toContain(index);
    });

    it('debits by commandId and by account use their column indexes, and so does the latest result', async () => {
      const debits = new DebitsRead(capture);
      const byCommand = await planOf(() => debits.list({ commandId: r1.data.commandId, limit: 50 }));
      expect(byCommand).toContain('events_command_id_idx');
      expect(await planOf(() => debits.list({ accountNumber: 's-payer', limit: 50 }))).toContain('events_account_number_idx');
      expect(await planOf(() => debits.findOne(r1.data.commandId))).toContain('events_command_id_idx');
      expect(byCommand).not.toMatch(/events_(payment_provider|payment_customer|command)_idx"/);
    });
  });
});
