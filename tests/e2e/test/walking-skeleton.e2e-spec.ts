import { randomUUID } from 'node:crypto';
import { queryOnce, signLikeSeed, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { startPaymentsStack, type PaymentsStack } from './payments-stack';

const SECRET = 'e2e-secret-for-customer-12000';
const LEDGER_KEY = 'e2e-ledger-api-key-0123456789';

/** A provider posts the seed's example notification; it must come out of the ledger's API, booked. */
describe('walking skeleton: provider → notification-ingest → Kafka → ledger → PostgreSQL', () => {
  let stack: PaymentsStack;
  let ingest: RunningService;
  let ledger: RunningService;
  let ingestDb: TestDatabase;
  let ledgerDb: TestDatabase;

  beforeAll(async () => {
    stack = await startPaymentsStack('e2e', SECRET, LEDGER_KEY);
    ({ ingest, ledger, ingestDb, ledgerDb } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts the seed example signed as the seed signs it, and books it in the ledger once', async () => {
    const transactionId = `e2e-${randomUUID()}`;
    // The seed's example body (made valid JSON), with a unique transactionId so reruns do not collide.
    const body = JSON.stringify({
      transactionId,
      reference: '4526',
      operator: 'Mobile_provider',
      subscriber: '250786474859',
      countryCode: 'RW',
      currency: 'RWF',
      transaction_type: 'PayBill',
      first_name: 'Jhon',
      account_number: '45678',
      last_name: 'Doe',
      amount: 200.0,
    });
    const messageId = randomUUID();
    const headers = {
      ' Authorization': signLikeSeed(SECRET, body, messageId, '200', '12000'),
      MessageID: messageId,
      MessageTimestamp: '20161029113022',
      SMSSupport: 'Y',
      'Content-Type': 'application/json',
    };
    const post = () =>
      fetch(`${ingest.url}/mm/1.0/payments/payment/200/customers/12000/payments`, { method: 'POST', headers: trimNames(headers), body });

    const first = await post();
    expect(first.status).toBe(200);
    const accepted = (await first.json()) as { providerTransactionId: string; status: string; Description: string };
    expect(accepted).toEqual({ providerTransactionId: expect.any(String), status: 'ACCEPTED', Description: expect.any(String) });

    // The provider retries the very same request: same answer, nothing new published.
    const repeat = await post();
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as { providerTransactionId: string }).providerTransactionId).toBe(accepted.providerTransactionId);

    const booked = await waitFor(async () => {
      const res = await fetch(`${ledger.url}/v1/payments/${accepted.providerTransactionId}`, { headers: { 'X-API-Key': LEDGER_KEY } });
      return res.status === 200 ? ((await res.json()) as { payment: Record<string, unknown>; postings: unknown[] }) : undefined;
    }, 30_000);
    expect(booked.payment).toMatchObject({
      transactionId,
      providerId: '200',
      customerId: '12000',
      amount: { amountMinor: '200', currency: 'RWF' },
      subscriberMsisdn: '+250786474859',
      smsSupport: true,
    });
    expect(booked.postings).toEqual([
      { accountId: 'provider-clearing:200', currency: 'RWF', amountMinor: '200' },
      { accountId: 'customer:12000', currency: 'RWF', amountMinor: '-200' },
    ]);

    // Exactly one event for this payment in the ledger, even after the repeat (give the relay time to misbehave).
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await queryOnce(ledgerDb.url, `select id from ledger.events where subject = $1`, [accepted.providerTransactionId]);
    expect(rows).toHaveLength(1);
  });

  it('refuses a notification with a wrong signature, and the ledger never sees it', async () => {
    const body = JSON.stringify({ transactionId: `e2e-${randomUUID()}`, amount: 100, currency: 'RWF' });
    const messageId = randomUUID();
    const res = await fetch(`${ingest.url}/mm/1.0/payments/payment/200/customers/12000/payments`, {
      method: 'POST',
      headers: {
        Authorization: signLikeSeed('not-the-secret-at-all', body, messageId, '200', '12000'),
        MessageID: messageId,
        MessageTimestamp: '20161029113022',
        'Content-Type': 'application/json',
      },
      body,
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'REJECTED' });
    const stored = await queryOnce(ingestDb.url, `select count(*)::int as n from ingest.notifications where message_id = $1`, [messageId]);
    expect(stored[0]).toEqual({ n: 0 });
  });
});

/** fetch() refuses header names with spaces; the seed's `' Authorization'` reaches a server as `Authorization`. */
function trimNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.trim(), v]));
}
