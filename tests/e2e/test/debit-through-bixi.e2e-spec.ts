import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, queryOnce, startService, waitFor, type RunningService, type TestDatabase } from '@mm/testing';

const BIXI_TOKEN = 'e2e-bixi-token-0001';
const DEBIT_KEY = 'e2e-debit-api-key-00001';
const LEDGER_KEY = 'e2e-ledger-api-key-0123456789';
const entry = (app: string) => join(__dirname, '..', '..', '..', 'apps', app, 'dist', 'main.js');

/** An internal service asks for a debit over HTTP; Bixi (the sandbox) answers; the ledger stores command and result. */
describe('debit: internal service → payment-debit → Bixi sandbox → Kafka → ledger', () => {
  let debitDb: TestDatabase;
  let ledgerDb: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let ledger: RunningService;

  beforeAll(async () => {
    [debitDb, ledgerDb] = await Promise.all([createTestDatabase('e2e_debit'), createTestDatabase('e2e_debit_ledger')]);
    sandbox = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: BIXI_TOKEN });
    [debit, ledger] = await Promise.all([
      startService('payment-debit', entry('payment-debit'), {
        DATABASE_URL: debitDb.url,
        BIXI_BASE_URL: sandbox.url,
        BIXI_API_TOKEN: BIXI_TOKEN,
        DEBIT_API_KEY: DEBIT_KEY,
        DEBIT_CONSUMER_GROUP: `payment-debit-e2e-${randomUUID()}`,
        OUTBOX_POLL_MS: '200',
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: LEDGER_KEY,
        LEDGER_CONSUMER_GROUP: `ledger-e2e-${randomUUID()}`,
      }),
    ]);
    await waitFor(async () => ((await fetch(`${debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
  });

  afterAll(async () => {
    await Promise.allSettled([debit?.stop(), ledger?.stop(), sandbox?.stop()]);
    await Promise.allSettled([debitDb?.drop(), ledgerDb?.drop()]);
  });

  const requestDebit = async (accountNumber: string) => {
    const res = await fetch(`${debit.url}/v1/debits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': DEBIT_KEY, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        accountNumber,
        accountType: 'mmt',
        amount: { amountMinor: '1250', currency: 'USD' },
        receiptId: 'INV1234',
        description: 'Receipt for sales bill No. 1234',
      }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { commandId: string }).commandId;
  };
  const ledgerEvents = (commandId: string) =>
    queryOnce<{ id: string; type: string; causation_id: string | null }>(
      ledgerDb.url,
      `select id, type, causation_id from ledger.events where subject = $1 order by type`,
      [commandId],
    );

  it('an approved debit: the ledger holds the command and its approval, linked by causation', async () => {
    const commandId = await requestDebit('+252600000000');
    const events = await waitFor(
      async () => {
        const rows = await ledgerEvents(commandId);
        return rows.length === 2 ? rows : undefined;
      },
      60_000,
      250,
    ).catch(async (e) => {
      console.log(
        ledger.output().slice(-3000),
        debit.output().slice(-3000),
        await queryOnce(ledgerDb.url, 'select type, count(*) from ledger.events group by type'),
        await queryOnce(debitDb.url, 'select state from debit.debit_commands'),
      );
      throw e;
    });
    const requested = events.find((e) => e.type === 'mm.debit.requested.v1')!;
    const approved = events.find((e) => e.type === 'mm.debit.approved.v1')!;
    expect(approved.causation_id).toBe(requested.id);
    const calls = ((await (await fetch(`${sandbox.url}/__sandbox/requests?requestId=${commandId}`)).json()) as { count: number }).count;
    expect(calls).toBe(1);
  });

  it('a declined debit reaches the ledger as declined', async () => {
    const commandId = await requestDebit('252600000001');
    const events = await waitFor(
      async () => {
        const rows = await ledgerEvents(commandId);
        return rows.length === 2 ? rows : undefined;
      },
      60_000,
      250,
    );
    expect(events.map((e) => e.type)).toEqual(['mm.debit.declined.v1', 'mm.debit.requested.v1']);
  });
});
