import { join } from 'node:path';
import { BIXI_STATEMENT_CSV_HEADER } from '@mm/contracts';
import { startService, type RunningService } from '@mm/testing';

const TOKEN = 'sandbox-test-token-0002';
const entry = join(__dirname, '..', 'dist', 'main.js');
const today = () => new Date().toISOString().slice(0, 10);

/** The sandbox-only statement export: every transaction the sandbox created on a UTC day, answered or not. */
describe('bixi-sandbox GET /sandbox/statements/:date', () => {
  let sandbox: RunningService;

  beforeAll(async () => {
    // Three transactions kept at most: the fourth makes the sandbox forget the first.
    sandbox = await startService('bixi-sandbox', entry, { BIXI_API_TOKEN: TOKEN, SANDBOX_STATEMENT_LIMIT: '3', SANDBOX_HOLD_MS: '1000' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const pay = (accountNumber: string, receiptId: string, amount = '12.5') =>
    fetch(`${sandbox.url}/3.0/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: `{"data":{"type":"transactions","attributes":{"memo":"debit","accountNumber":"${accountNumber}","accountType":"mmt","receiptId":"${receiptId}","amount":${amount},"description":"d"}}}`,
      signal: AbortSignal.timeout(300),
    }).catch(() => undefined);
  const statement = (date: string, query = '', token: string | null = TOKEN) =>
    fetch(`${sandbox.url}/sandbox/statements/${date}${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('lists approved, declined and withheld (timeout) transactions as JSON lines with exact amounts, and nothing refused', async () => {
    expect((await pay('252600000000', 'ST1'))?.status).toBe(200);
    expect((await pay('252600000001', 'ST2'))?.status).toBe(200);
    expect(await pay('252600000006', 'ST3')).toBeUndefined(); // never answered, but created
    expect((await pay('252600000002', 'ST4'))?.status).toBe(402); // insufficient funds: no transaction
    const res = await statement(today());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await res.text();
    expect(text).toContain('"amount":12.5,"charges":0.38,"total":12.12');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.receiptId, l.status])).toEqual([
      ['ST1', 'approved'],
      ['ST2', 'declined'],
      ['ST3', 'approved'],
    ]);
    expect(Object.keys(lines[0]!).join(',')).toBe(BIXI_STATEMENT_CSV_HEADER);
    expect(lines[2]).toMatchObject({
      accountNumber: '252600000006',
      currency: 'USD',
      created: expect.stringMatching(/^\d{4}-.*\.\d{6}Z$/),
    });
  });

  it('writes CSV with the header, forgets the oldest beyond its limit and says how many', async () => {
    expect((await pay('252600000000', 'ST5', '1'))?.status).toBe(200);
    const res = await statement(today(), '?format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('x-sandbox-transactions-forgotten')).toBe('1');
    const rows = (await res.text()).split('\r\n');
    expect(rows[0]).toBe(BIXI_STATEMENT_CSV_HEADER);
    expect(rows.slice(1, -1).map((r) => r.split(',')[1])).toEqual(['ST2', 'ST3', 'ST5']);
    expect(rows[3]).toMatch(/,USD,\d{6},1,0\.03,0\.97,/);
    expect(rows[4]).toBe('');
  });

  it('has an empty statement for another day, and refuses a bad date, a bad format and a missing or wrong token', async () => {
    expect(await (await statement('2001-01-01')).text()).toBe('');
    expect(await (await statement('2001-01-01', '?format=csv')).text()).toBe(`${BIXI_STATEMENT_CSV_HEADER}\r\n`);
    for (const bad of ['2026-02-30', 'today', '2026-1-1', '..%2F..%2Fetc']) expect((await statement(bad)).status).toBe(400);
    expect((await statement(today(), '?format=xlsx')).status).toBe(400);
    expect((await statement(today(), '', null)).status).toBe(401);
    expect((await statement(today(), '', 'wrong-token-123')).status).toBe(401);
  });
});
