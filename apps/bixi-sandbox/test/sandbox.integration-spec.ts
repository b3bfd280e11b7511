import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { startService, type RunningService } from '@mm/testing';

const TOKEN = 'sandbox-test-token-0001';
const entry = join(__dirname, '..', 'dist', 'main.js');

const seedBody = (attributes: Record<string, unknown> = {}) => ({
  data: {
    type: 'transactions',
    attributes: {
      memo: 'debit',
      accountNumber: '+252600000000',
      accountType: 'mmt',
      receiptId: '123456',
      amount: 1.0,
      description: 'Receipt for sales bill No. 123456',
      ...attributes,
    },
  },
});

/** The sandbox process, driven over HTTP the way payment-debit drives it. */
describe('bixi-sandbox POST /3.0/pay', () => {
  let sandbox: RunningService;

  beforeAll(async () => {
    sandbox = await startService('bixi-sandbox', entry, { BIXI_API_TOKEN: TOKEN, SANDBOX_SLOW_MS: '300' });
  });
  afterAll(async () => {
    // A request held by the timeout account must not keep the server from shutting down.
    await sandbox?.stop();
  });

  type Recorded = { count: number; requests: Array<{ authorized: boolean; body: { data: { attributes: { amount: unknown } } } }> };
  const recorded = async (receiptId?: string) =>
    (await (await fetch(`${sandbox.url}/__sandbox/requests${receiptId ? `?receiptId=${receiptId}` : ''}`)).json()) as Recorded;

  const pay = (body: unknown, token: string | null = TOKEN) =>
    fetch(`${sandbox.url}/3.0/pay`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('approves the seed request and answers in the seed shape, with charges in whole cents', async () => {
    const res = await pay(seedBody());
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"charges":0.03,"amount":1,"amountInWords":"One","total":0.97');
    expect(JSON.parse(text)).toEqual({
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'transactions',
        attributes: {
          receiptId: '123456',
          referenceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          accountNumber: '252600000000',
          accountType: 'mmt',
          issuer: 'hormuud',
          status: 'approved',
          description: 'Receipt for sales bill No. 123456',
          memo: 'debit',
          currency: 'USD',
          issuerTransactionId: expect.stringMatching(/^[0-9]{6}$/),
          charges: 0.03,
          amount: 1,
          amountInWords: 'One',
          total: 0.97,
          totalInWords: 'Zero Point Nine Seven',
          timestamps: { created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) },
        },
      },
    });
  });

  it('answers 401 without a token and with a wrong one, and records that it was not authorised', async () => {
    expect((await pay(seedBody({ receiptId: 'NOAUTH1' }), null)).status).toBe(401);
    expect((await pay(seedBody({ receiptId: 'NOAUTH1' }), 'not-the-token')).status).toBe(401);
    const log = await recorded('NOAUTH1');
    expect(log.count).toBe(2);
    expect(log.requests.every((r) => !r.authorized)).toBe(true);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });

  it.each([
    ['memo credit', { memo: 'credit' }, '/data/attributes/memo'],
    ['unknown accountType', { accountType: 'paypal' }, '/data/attributes/accountType'],
    ['receiptId of 12 chars', { receiptId: '123456789012' }, '/data/attributes/receiptId'],
    ['empty receiptId', { receiptId: '' }, '/data/attributes/receiptId'],
    ['three decimals', { amount: 1.001 }, '/data/attributes/amount'],
    ['zero amount', { amount: 0 }, '/data/attributes/amount'],
    ['negative amount', { amount: -5 }, '/data/attributes/amount'],
    ['amount as a string', { amount: '1.00' }, '/data/attributes/amount'],
    ['missing description', { description: undefined }, '/data/attributes/description'],
    ['letters and symbols in the account', { accountNumber: '25-26 00' }, '/data/attributes/accountNumber'],
  ])('refuses %s with 422 pointing at the member', async (_name, attributes, pointer) => {
    const res = await pay(seedBody(attributes));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Array<{ source: { pointer: string } }> };
    expect(body.errors.map((e) => e.source.pointer)).toContain(pointer);
  });

  it('refuses a body that is not a transactions document', async () => {
    expect((await pay({ data: { type: 'refunds', attributes: seedBody().data.attributes } })).status).toBe(422);
    expect((await pay([])).status).toBe(422);
  });

  it.each([
    ['252600000001', 200, 'declined'],
    ['252600000008', 200, 'pending'],
  ])('account %s answers %s with status %s', async (accountNumber, status, bixiStatus) => {
    const res = await pay(seedBody({ accountNumber }));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { data: { attributes: { status: string } } }).data.attributes.status).toBe(bixiStatus);
  });

  it('insufficient funds is a 402 error document, a server error a 500', async () => {
    const poor = await pay(seedBody({ accountNumber: '252600000002' }));
    expect(poor.status).toBe(402);
    expect(((await poor.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('insufficient_funds');
    expect((await pay(seedBody({ accountNumber: '252600000003' }))).status).toBe(500);
  });

  it('the malformed account gets a 200 whose body is not JSON', async () => {
    const res = await pay(seedBody({ accountNumber: '252600000004' }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('the slow account answers after SANDBOX_SLOW_MS', async () => {
    const started = Date.now();
    expect((await pay(seedBody({ accountNumber: '252600000005' }))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('the drop account closes the connection after reading the request, and the request is recorded', async () => {
    await expect(pay(seedBody({ accountNumber: '252600000007', receiptId: 'DROP1' }))).rejects.toThrow();
    const log = await recorded('DROP1');
    expect(log.count).toBe(1);
    // What Bixi booked without telling anyone: the answer it never sent, for operators resolving the UNKNOWN debit.
    const unsent = (log.requests[0] as unknown as { unsentAnswer: string }).unsentAnswer;
    expect(unsent).toContain('"charges":0.03,"amount":1,');
    expect(JSON.parse(unsent)).toMatchObject({
      data: { id: expect.any(String), attributes: { status: 'approved', receiptId: 'DROP1', referenceId: expect.any(String) } },
    });
  });

  it('the timeout account never answers', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${sandbox.url}/3.0/pay`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      });
      req.on('response', () => resolve('answered'));
      req.on('error', () => resolve('error'));
      req.setTimeout(1500, () => {
        resolve('no answer');
        req.destroy();
      });
      req.end(JSON.stringify(seedBody({ accountNumber: '252600000006' })));
    });
    expect(outcome).toBe('no answer');
  });

  it('records requests per receiptId and forgets them on reset', async () => {
    await pay(seedBody({ receiptId: 'COUNT1' }));
    await pay(seedBody({ receiptId: 'COUNT1' }));
    const log = await recorded('COUNT1');
    expect(log.count).toBe(2);
    expect(log.requests[0]!.body.data.attributes.amount).toBe(1);
    await fetch(`${sandbox.url}/__sandbox/requests`, { method: 'DELETE' });
    expect((await recorded()).count).toBe(0);
  });

  it('serves health and Prometheus metrics', async () => {
    expect((await fetch(`${sandbox.url}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${sandbox.url}/metrics`)).text()).toContain('bixi_sandbox_pay_requests_total{behaviour="approve"}');
  });
});
