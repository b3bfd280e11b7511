import { queryOnce, signLikeSeed } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { fieldsOf, rejected, storedCount, storedEvent as eventOf } from './support/assertions';
import { notificationPath, post, send, sign, signedNotification } from './support/bboxx-client';
import { ingestWithDatabase, OLD_SECRET, SECRET, type IngestWithDatabase, type RunningIngest } from './support/ingest-harness';

describe('notification body: the seed example, both field sets, amounts, hostile values (real PostgreSQL)', () => {
  let env: IngestWithDatabase;
  let ingest: RunningIngest;
  const stored = (messageId: string) => storedCount(env.db.url, messageId);
  const storedEvent = (paymentId: string) => eventOf(env.db.url, paymentId);

  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_body');
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
    const answer = await post(
      ingest.url,
      notificationPath('200', '12000'),
      [
        ['Authorization', ` ${signLikeSeed(SECRET, body, messageId, '200', '12000')} `],
        ['SMSSupport', 'Y'],
        ['MessageID', messageId],
        ['MessageTimestamp', '20161029113022'],
        ['Content-Type', 'application/json'],
      ],
      body,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      providerTransactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'ACCEPTED',
      Description: 'Dear Customer the payment was accepted.',
    });
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
    const [row] = await queryOnce<{ raw_body: Buffer }>(env.db.url, `select raw_body from ingest.notifications where message_id = $1`, [
      messageId,
    ]);
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
    expect((await storedEvent(answer.json.providerTransactionId as string)).data.amount).toEqual({
      amountMinor: minor,
      currency: currency.toUpperCase(),
    });
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
    const n = signedNotification(SECRET, {
      first_name: 'Jean-Amédée 名前 🙂',
      last_name: hostile,
      reference: "' or 1=1 --",
      transactionId: `x'; delete from outbox; -- ${randomUUID()}`,
    });
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(200);
    const event = await storedEvent(answer.json.providerTransactionId as string);
    expect(event.data).toMatchObject({ firstName: 'Jean-Amédée 名前 🙂', lastName: hostile, reference: "' or 1=1 --" });
    expect(await stored(n.messageId)).toBe(1);
  });
});
