import { queryOnce } from '@mm/testing';
import { randomUUID } from 'node:crypto';
import { fieldsOf, rejected, storedCount, storedEvent } from './support/assertions';
import { sign, send, signedNotification, type Notification } from './support/bboxx-client';
import { ingestWithDatabase, SECRET, type IngestWithDatabase } from './support/ingest-harness';

/** A notification whose body is exactly `body` (JSON numbers written as the provider wrote them), signed over it. */
function withRawBody(body: string): Notification {
  const n = signedNotification(SECRET);
  return { ...n, body, headers: { ...n.headers, Authorization: sign(SECRET, body, n.messageId, n.providerId, n.customerId) } };
}

/** JSON numbers in a body are read from their text, never through a float (real HTTP, real PostgreSQL). */
describe('JSON numbers read from their exact text', () => {
  let env: IngestWithDatabase;
  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_exact');
  });
  afterAll(() => env?.stop());

  it('stores 99999999999999.99 USD written as a JSON number as exactly 9999999999999999 minor units', async () => {
    const n = withRawBody(
      `{"transactionId":"tx-${randomUUID()}","amount":99999999999999.99,"currency":"USD","subscriber":"250786474859","countryCode":"RW"}`,
    );
    const answer = await send(env.ingest.url, n);
    expect(answer.status).toBe(200);
    const paymentId = answer.json.providerTransactionId as string;
    const [row] = await queryOnce<{ amount_minor: string }>(
      env.db.url,
      `select amount_minor::text from ingest.notifications where id = $1`,
      [paymentId],
    );
    expect(row).toEqual({ amount_minor: '9999999999999999' });
    expect((await storedEvent(env.db.url, paymentId)).data.amount).toEqual({ amountMinor: '9999999999999999', currency: 'USD' });
  });

  it.each(['1e2', '1E2', '2.5e1', '1e+2'])(
    'refuses the exponent-notation JSON number %s with 400 naming amount, storing nothing',
    async (amount) => {
      const n = withRawBody(`{"transactionId":"tx-${randomUUID()}","amount":${amount},"currency":"USD"}`);
      const answer = await send(env.ingest.url, n);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual(rejected());
      expect(fieldsOf(answer)).toEqual(['amount']);
      expect(await storedCount(env.db.url, n.messageId)).toBe(0);
    },
  );

  it('keeps a numeric transactionId and account_number as the digits written, beyond a float’s precision', async () => {
    const transactionId = `9${Date.now()}${Math.floor(Math.random() * 1e6)}`.padEnd(22, '7'); // more digits than a double holds
    const n = withRawBody(`{"transactionId":${transactionId},"amount":200.0,"currency":"RWF","account_number":45678901234567890123}`);
    const answer = await send(env.ingest.url, n);
    expect(answer.status).toBe(200);
    const event = await storedEvent(env.db.url, answer.json.providerTransactionId as string);
    expect(event.data).toMatchObject({
      transactionId,
      accountNumber: '45678901234567890123',
      amount: { amountMinor: '200', currency: 'RWF' },
    });
  });

  it.each([
    ['a fractional transactionId', '{"transactionId":12.5,"amount":1,"currency":"RWF"}', 'transactionId'],
    ['a negative transactionId', '{"transactionId":-12,"amount":1,"currency":"RWF"}', 'transactionId'],
    ['a transactionId in exponent form', '{"transactionId":1e3,"amount":1,"currency":"RWF"}', 'transactionId'],
    ['a numeric first_name', '{"transactionId":"t-1","amount":1,"currency":"RWF","first_name":42}', 'first_name'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const answer = await send(env.ingest.url, withRawBody(body.replace('"t-1"', `"t-${randomUUID()}"`)));
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toContain(field);
  });

  it('refuses a body that repeats a key with another value (which one counts would be a guess) with 400', async () => {
    const answer = await send(
      env.ingest.url,
      withRawBody(`{"transactionId":"tx-${randomUUID()}","amount":1,"amount":1000,"currency":"RWF"}`),
    );
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toEqual(['body']);
  });
});
