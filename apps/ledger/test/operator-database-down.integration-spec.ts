import { ApiErrorSchema, type MmEvent } from '@mm/contracts';
import { cutOffDatabase, waitFor } from '@mm/testing';
import { paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';
import { bearer, operatorClient, operatorToken } from './support/operators';

/**
 * The ledger's operator paths with its database out of reach: corrections, provider statement imports and the reads
 * behind them answer 503 with the shared error body and Retry-After, store nothing, and succeed once when it is back.
 */
describe('ledger operator actions with PostgreSQL down', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let reconnect: (() => Promise<void>) | undefined;
  const call = operatorClient(() => ledger.url);
  const t: Record<'maker' | 'checker' | 'viewer', string> = { maker: '', checker: '', viewer: '' };
  const payment = paymentEvent({ providerId: 'down-200', customerId: 'down-customer', amountMinor: '900', currency: 'RWF' });
  payment.data.transactionId = 'tx-down-1';
  const statement = [
    'providerId,transactionId,amount,currency,msisdn,time',
    `down-200,tx-down-1,900,RWF,+250786474859,${payment.time}`,
  ].join('\r\n');
  const importStatement = async () => {
    const res = await fetch(`${ledger.url}/v1/statements/provider`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...bearer(t.maker) },
      body: statement,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
  };
  const unavailable = { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'storage unavailable; retry later' };

  beforeAll(async () => {
    h = await LedgerHarness.create('operator_pgdown');
    const env = h.env();
    ledger = await startLedgerApp(env);
    t.maker = await operatorToken('mia', ['maker']);
    t.checker = await operatorToken('carl', ['checker']);
    t.viewer = await operatorToken('vic', ['viewer']);
    await h.publish([payment as MmEvent]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
  });
  afterAll(async () => {
    await reconnect?.().catch(() => undefined);
    await ledger?.close();
    await h?.close();
  });

  it('refuses with 503 while the database is cut off, then takes each retry exactly once', async () => {
    const correction = { eventId: payment.id, amount: { amountMinor: '900', currency: 'RWF' }, reason: 'provider reversed it' };
    reconnect = await cutOffDatabase(h.db.name);

    const during = await importStatement();
    expect(during).toEqual({ status: 503, retryAfter: '1', body: unavailable });
    for (const [method, path, token, body] of [
      ['POST', '/v1/corrections', t.maker, correction],
      ['GET', '/v1/corrections', t.viewer, undefined],
      ['GET', '/v1/operator-actions', t.viewer, undefined],
      ['GET', '/v1/breaks', t.viewer, undefined],
    ] as const) {
      const answer = await call(method, path, token, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 503 });
      expect(ApiErrorSchema.strict().parse(answer.body)).toEqual(unavailable);
    }

    await reconnect();
    await waitFor(async () => ((await fetch(`${ledger.url}/health/ready`)).status === 200 ? true : undefined), 20_000, 250);
    expect((await importStatement()).status).toBe(200);
    const proposed = await call('POST', '/v1/corrections', t.maker, correction);
    expect(proposed.status).toBe(201);
    expect((await call('POST', `/v1/corrections/${String(proposed.body.id)}/approve`, t.checker)).status).toBe(200);

    const stored = {
      statements: await h.count('select count(*)::int as n from ledger.provider_statements'),
      proposals: await h.count('select count(*)::int as n from ledger.correction_proposals'),
      actions: await h.count('select count(*)::int as n from ledger.operator_actions'),
    };
    // One import, one proposal, one approval: the refused attempts left no row and no audit line.
    expect(stored).toEqual({ statements: 1, proposals: 1, actions: 3 });
  });
});
