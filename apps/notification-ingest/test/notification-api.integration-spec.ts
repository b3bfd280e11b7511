import { queryOnce, signLikeSeed } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { notificationPath, post, send, sign, signedNotification, type Answer } from './support/bboxx-client';
import { ingestWithDatabase, type IngestWithDatabase, OLD_SECRET, OTHER_SECRET, SECRET, type RunningIngest } from './support/ingest-harness';

const rejected = (errors: unknown = expect.any(Array)) => ({ status: 'REJECTED', Description: expect.any(String), errors });
const fieldsOf = (a: Answer) => (a.json.errors as { field?: string }[]).map((e) => e.field);

describe('BBOXX notification API (real PostgreSQL, real migrations, real broker)', () => {
  let env: IngestWithDatabase;
  let ingest: RunningIngest;
  const stored = async (messageId: string) =>
    (await queryOnce<{ n: number }>(env.db.url, `select count(*)::int as n from ingest.notifications where message_id = $1`, [messageId]))[0]!.n;
  const storedEvent = async (paymentId: string) =>
    JSON.parse(
      (await queryOnce<{ payload: string }>(env.db.url, `select payload from ingest.outbox where payload::jsonb->'data'->>'paymentId' = $1`, [paymentId]))[0]!.payload,
    ) as { data: Record<string, unknown> };

  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_api');
    ingest = env.ingest;
  });
  afterAll(() => env?.stop());

  it('accepts the seed example signed by the seed algorithm in Python, and normalises it', async () => {
    const transactionId = `seed-${randomUUID()}`;
    // The seed's example body, made valid JSON (its `account_number` is unquoted and a comma is missing), verbatim otherwise.
    const body = `{"transactionId" : "${transactionId}",
"reference" : "4526",
  "operator" : "Mobile_provider",
   "subscriber" : "250786474859",
    "countryCode" : "RW",
    "currency" : "RWF",
    "transaction_type": "PayBill",
    "first_name": "Jhon",
    "account_number":"45678",
    "last_name": "Doe",

     "amount" : 200.0 }`;
    const messageId = randomUUID();
    const answer = await post(ingest.url, notificationPath('200', '12000'), [
      ['Authorization', ` ${signLikeSeed(SECRET, body, messageId, '200', '12000')} `],
      ['SMSSupport', 'Y'],
      ['MessageID', messageId],
      ['MessageTimestamp', '20161029113022'],
      ['Content-Type', 'application/json'],
    ], body);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ providerTransactionId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'ACCEPTED', Description: 'Dear Customer the payment was accepted.' });
    const event = await storedEvent(answer.json.providerTransactionId as string);
    expect(event).toMatchObject({ type: 'mm.payment.received.v1', subject: answer.json.providerTransactionId });
    expect(event.data).toEqual({
      paymentId: answer.json.providerTransactionId,
      providerId: '200',
      customerId: '12000',
      messageId,
      transactionId,
      amount: { amountMinor: '200', currency: 'RWF' },
      subscriberMsisdn: '+250786474859',
      countryCode: 'RW',
      operator: 'Mobile_provider',
      reference: '4526',
      transactionType: 'PayBill',
      firstName: 'Jhon',
      lastName: 'Doe',
      accountNumber: '45678',
      smsSupport: true,
      messageTimestamp: '2016-10-29T11:30:22.000Z',
      receivedAt: expect.any(String),
    });
    const [row] = await queryOnce<{ raw_body: Buffer }>(env.db.url, `select raw_body from ingest.notifications where message_id = $1`, [messageId]);
    expect(row!.raw_body.toString('utf8')).toBe(body); // kept byte for byte, for audit
  });

  it("maps the field table's names (sender_phone, transaction_reference, business_number, …) and a national phone form", async () => {
    const n = signedNotification(SECRET, {
      subscriber: undefined,
      sender_phone: '0786474859',
      countryCode: 'RW',
      transaction_reference: 'MP-77',
      internal_transaction_id: 'K-1',
      business_number: '888',
      amount: '1500',
    });
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(200);
    const event = await storedEvent(answer.json.providerTransactionId as string);
    expect(event.data).toMatchObject({
      subscriberMsisdn: '+250786474859',
      transactionReference: 'MP-77',
      internalTransactionId: 'K-1',
      businessNumber: '888',
      amount: { amountMinor: '1500', currency: 'RWF' },
      smsSupport: false,
    });
  });

  it('accepts a request signed with the previous secret during rotation', async () => {
    const answer = await send(ingest.url, signedNotification(OLD_SECRET));
    expect(answer.text).toContain('ACCEPTED');
    expect(answer.status).toBe(200);
  });

  it.each([
    ['200.0 RWF', 200.0, 'RWF', '200'],
    ['"200.0" RWF as a string', '200.0', 'RWF', '200'],
    ['10.05 USD', 10.05, 'USD', '1005'],
    ['lower-case currency', 5, 'kes', '500'],
  ])('accepts %s in minor units', async (_what, amount, currency, minor) => {
    const answer = await send(ingest.url, signedNotification(SECRET, { amount, currency }));
    expect(answer.status).toBe(200);
    expect((await storedEvent(answer.json.providerTransactionId as string)).data.amount).toEqual({ amountMinor: minor, currency: currency.toUpperCase() });
  });

  it.each([
    ['10.005 USD (more precision than the currency has)', { amount: 10.005, currency: 'USD' }, 'amount'],
    ['200.5 RWF', { amount: 200.5, currency: 'RWF' }, 'amount'],
    ['a zero amount', { amount: 0 }, 'amount'],
    ['a negative amount', { amount: -200 }, 'amount'],
    ['a huge number', { amount: 1e21 }, 'amount'],
    ['a huge integer string', { amount: '9'.repeat(39) }, 'amount'],
    ['an amount in exponent form', { amount: '2e2' }, 'amount'],
    ['an amount that is a boolean', { amount: true }, 'amount'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a missing transactionId', { transactionId: undefined }, 'transactionId'],
    ['a transactionId that is an object', { transactionId: { $ne: null } }, 'transactionId'],
    ['a missing currency', { currency: undefined }, 'currency'],
    ['a phone with letters', { subscriber: '25078647485x' }, 'subscriber'],
    ['a phone of another country', { subscriber: '254712345678', countryCode: 'RW' }, 'subscriber'],
    ['a first_name that is a number', { first_name: 42 }, 'first_name'],
    ['an over-long operator', { operator: 'x'.repeat(129) }, 'operator'],
    ['a NUL character in transactionId', { transactionId: 'tx\u0000-1' }, 'transactionId'],
    ['a control character in account_number', { account_number: '45\u001b678' }, 'account_number'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_what, fields, field) => {
    const n = signedNotification(SECRET, fields);
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(rejected());
    expect(fieldsOf(answer)).toContain(field);
    expect(await stored(n.messageId)).toBe(0);
  });

  it.each([
    ['not JSON at all', 'this is not json', 'body'],
    ['truncated JSON', '{"transactionId":"1","amount":', 'body'],
    ['a JSON array', '[1,2,3]', 'body'],
    ['a JSON string', '"hello"', 'body'],
    ['a __proto__ key', '{"transactionId":"p-1","amount":1,"currency":"RWF","__proto__":{"polluted":true}}', '__proto__'],
  ])('refuses a signed body that is %s with 400', async (_what, body, field) => {
    const n = signedNotification(SECRET);
    const headers = { ...n.headers, Authorization: sign(SECRET, body, n.messageId, '200', '12000') };
    const answer = await send(ingest.url, { ...n, headers }, {}, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(rejected());
    expect(fieldsOf(answer)).toContain(field);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores unicode names and SQL-looking strings as data, byte for byte', async () => {
    const hostile = "Robert'); drop table ingest.notifications; --";
    const n = signedNotification(SECRET, { first_name: 'Jean-Amédée 名前 🙂', last_name: hostile, reference: "' or 1=1 --", transactionId: `x'; delete from outbox; -- ${randomUUID()}` });
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(200);
    const event = await storedEvent(answer.json.providerTransactionId as string);
    expect(event.data).toMatchObject({ firstName: 'Jean-Amédée 名前 🙂', lastName: hostile, reference: "' or 1=1 --" });
    expect(await stored(n.messageId)).toBe(1);
  });

  it.each([
    ['Authorization', 'Authorization'],
    ['MessageID', 'MessageID'],
    ['MessageTimestamp', 'MessageTimestamp'],
  ])('refuses a missing %s header with 400 naming it', async (header, field) => {
    const n = signedNotification(SECRET);
    const answer = await send(ingest.url, n, { [header]: null });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(rejected());
    expect(fieldsOf(answer)).toEqual([field]);
    expect(await stored(n.messageId)).toBe(0);
  });

  it.each([
    ['MessageTimestamp', '2016-10-29 11:30:22'],
    ['MessageTimestamp', '20161332113022'],
    ['SMSSupport', 'maybe'],
    ['MessageID', 'has spaces in it'],
  ])('refuses an invalid %s header (%p) with 400 naming it', async (header, value) => {
    const answer = await send(ingest.url, signedNotification(SECRET), { [header]: value });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toEqual([header]);
  });

  it.each(['Authorization', 'MessageID', 'MessageTimestamp', 'SMSSupport', 'Content-Type'])('refuses a repeated %s header with 400', async (header) => {
    const n = signedNotification(SECRET, {}, { smsSupport: 'Y' });
    const raw = Object.entries(n.headers) as [string, string][];
    raw.push([header.toLowerCase(), n.headers[header]!]);
    const answer = await post(ingest.url, notificationPath('200', '12000'), raw, n.body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(rejected([{ field: header, message: 'header must appear once' }]));
    expect(await stored(n.messageId)).toBe(0);
  });

  it('reads header names in any case and tolerates whitespace around values', async () => {
    const n = signedNotification(SECRET);
    const raw: [string, string][] = [
      ['AUTHORIZATION', `  ${n.headers.Authorization}  `],
      ['messageid', ` ${n.messageId} `],
      ['messagetimestamp', ' 20161029113022'],
      ['smssupport', ' y '],
      ['content-type', 'Application/JSON; charset=utf-8'],
    ];
    const answer = await post(ingest.url, notificationPath('200', '12000'), raw, n.body);
    expect(answer.status).toBe(200);
    expect((await storedEvent(answer.json.providerTransactionId as string)).data.smsSupport).toBe(true);
  });

  it('answers the seed\'s literal " Authorization" header name (which HTTP forbids) with a JSON 400', async () => {
    const n = signedNotification(SECRET);
    const answer = await rawRequest(ingest.url, `POST ${notificationPath('200', '12000')} HTTP/1.1\r\nHost: x\r\n Authorization: ${n.headers.Authorization}\r\nMessageID: ${n.messageId}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(n.body)}\r\n\r\n${n.body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(rejected());
    expect(await stored(n.messageId)).toBe(0);
  });

  it.each([
    ['a wrong secret', (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign('not-the-secret-at-all', n.body, n.messageId, '200', '12000') })],
    ['a signature over another body', (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign(SECRET, `${n.body} `, n.messageId, '200', '12000') })],
    ['a signature over another MessageID', (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign(SECRET, n.body, `${n.messageId}x`, '200', '12000') })],
    ['a malformed Authorization', () => ({ Authorization: 'Basic dXNlcjpwYXNz' })],
    ['a truncated MAC', (n: ReturnType<typeof signedNotification>) => ({ Authorization: n.headers.Authorization!.slice(0, -4) })],
  ])('refuses %s with 403 and stores nothing', async (_what, change) => {
    const n = signedNotification(SECRET);
    const answer = await send(ingest.url, n, change(n));
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ status: 'REJECTED', Description: 'authentication failed', errors: [{ message: 'authentication failed' }] });
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses an unknown credential, a CustomerId that differs from the path, and a provider not allowed, with 403', async () => {
    const unknown = signedNotification(SECRET, {}, { customerId: '99999' });
    const mismatch = signedNotification(SECRET);
    const mismatchAuth = sign(SECRET, mismatch.body, mismatch.messageId, '200', '13000');
    const notAllowed = signedNotification(SECRET, {}, { providerId: '300' }); // 12000 may post for 200 only
    const otherCustomersProvider = signedNotification(OTHER_SECRET, {}, { customerId: '13000', providerId: '200' });
    const answers = await Promise.all([
      send(ingest.url, unknown),
      send(ingest.url, mismatch, { Authorization: mismatchAuth }),
      send(ingest.url, notAllowed),
      send(ingest.url, otherCustomersProvider),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    for (const a of answers) expect(a.json).toEqual(rejected());
  });

  it('refuses a request whose Content-Type is not JSON with 415, whatever its signature', async () => {
    const n = signedNotification(SECRET);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await send(ingest.url, n, { 'Content-Type': contentType });
      expect(answer.status).toBe(415);
      expect(answer.json).toEqual(rejected([{ field: 'Content-Type', message: 'must be application/json' }]));
    }
    const none = await send(ingest.url, n, { 'Content-Type': null });
    expect(none.status).toBe(415);
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const n = signedNotification(SECRET, { padding: 'x'.repeat(ingest.config.INGEST_BODY_LIMIT_BYTES) });
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual(rejected([{ field: 'body', message: 'too large' }]));
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses an empty body with 400 and unknown paths with a JSON 404', async () => {
    const empty = await send(ingest.url, signedNotification(SECRET), {}, '');
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty)).toEqual(['body']);
    const lost = await post(ingest.url, '/mm/1.0/payments/payment/200/customers/12000/refunds', [['Content-Type', 'application/json']], '{}');
    expect(lost.status).toBe(404);
    expect(lost.json).toEqual(rejected());
  });

  it('counts requests by status, signature failures and conflicts on /metrics', async () => {
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    const value = (line: string) => Number(metrics.split('\n').find((l) => l.startsWith(line))?.split(' ').pop());
    expect(value('ingest_http_requests_total{status="200"}')).toBeGreaterThanOrEqual(8);
    expect(value('ingest_http_requests_total{status="400"}')).toBeGreaterThanOrEqual(20);
    expect(value('ingest_http_requests_total{status="403"}')).toBeGreaterThanOrEqual(9);
    expect(value('ingest_http_requests_total{status="413"}')).toBe(1);
    expect(value('ingest_http_requests_total{status="415"}')).toBe(4);
    expect(value('ingest_signature_failures_total{reason="bad_signature"}')).toBeGreaterThanOrEqual(3);
    expect(value('ingest_signature_failures_total{reason="unknown_credential"}')).toBe(1);
    expect(value('ingest_signature_failures_total{reason="customer_mismatch"}')).toBe(1);
    expect(value('ingest_signature_failures_total{reason="provider_not_allowed"}')).toBe(2);
    expect(value('ingest_outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(metrics).toMatch(/^ingest_outbox_oldest_age_seconds \d/m);
    expect(metrics).toMatch(/^ingest_http_request_duration_seconds_count \d+/m);
  });
});

function rawRequest(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const socket = (require('node:net') as typeof import('node:net')).connect(Number(port), hostname, () => socket.end(request));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString('utf8')));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}
