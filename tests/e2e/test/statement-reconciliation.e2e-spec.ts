import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIXI_STATEMENT_CSV_HEADER, csvRecord, type StatementImportResult } from '@mm/contracts';
import { createTestDatabase, queryOnce, startService, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { entry } from './payments-stack';

const run = promisify(execFile);
const MM = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'mm.js');
const BIXI_TOKEN = 'e2e-statement-bixi-token-01';
const DEBIT_KEY = 'e2e-statement-debit-key-0001';
const LEDGER_KEY = 'e2e-statement-ledger-key-0123456789';
const TIMEOUT_ACCOUNT = '252600000006';

/**
 * The whole reconciliation loop on real Kafka and PostgreSQL: a debit Bixi never answers is UNKNOWN and booked to
 * suspense; Bixi's statement (the sandbox's export) imported with `mm statements import bixi` settles it as debited,
 * and the ledger moves the money out of suspense into settlement and fees. A line we never sent is a break.
 */
describe('statement reconciliation: UNKNOWN → suspense → Bixi statement → DEBITED → suspense zero', () => {
  let debitDb: TestDatabase;
  let ledgerDb: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let ledger: RunningService;

  beforeAll(async () => {
    [debitDb, ledgerDb] = await Promise.all([createTestDatabase('e2e_statement_debit'), createTestDatabase('e2e_statement_ledger')]);
    sandbox = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: BIXI_TOKEN, SANDBOX_HOLD_MS: '3000' });
    [debit, ledger] = await Promise.all([
      startService('payment-debit', entry('payment-debit'), {
        DATABASE_URL: debitDb.url,
        BIXI_BASE_URL: sandbox.url,
        BIXI_API_TOKEN: BIXI_TOKEN,
        BIXI_TIMEOUT_MS: '1000',
        DEBIT_API_KEY: DEBIT_KEY,
        DEBIT_CONSUMER_GROUP: `payment-debit-statement-e2e-${randomUUID()}`,
        OUTBOX_POLL_MS: '200',
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: LEDGER_KEY,
        LEDGER_CONSUMER_GROUP: `ledger-statement-e2e-${randomUUID()}`,
      }),
    ]);
    await waitFor(async () => ((await fetch(`${debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
  });
  afterAll(async () => {
    await Promise.allSettled([debit?.stop(), ledger?.stop(), sandbox?.stop()]);
    await Promise.allSettled([debitDb?.drop(), ledgerDb?.drop()]);
  });

  const balance = async (account: string): Promise<string | undefined> => {
    const res = await fetch(`${ledger.url}/v1/accounts/${encodeURIComponent(account)}`, { headers: { 'X-API-Key': LEDGER_KEY } });
    if (res.status === 404) return undefined;
    const body = (await res.json()) as { balances: { currency: string; balanceMinor: string }[] };
    return body.balances.find((b) => b.currency === 'USD')?.balanceMinor;
  };
  const debitState = async (commandId: string) =>
    ((await (await fetch(`${debit.url}/v1/debits/${commandId}`, { headers: { 'X-API-Key': DEBIT_KEY } })).json()) as { state: string })
      .state;

  it('settles the UNKNOWN debit from the imported statement and lists the line we never sent as MISSING_IN_BOOKS', async () => {
    const res = await fetch(`${debit.url}/v1/debits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': DEBIT_KEY, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        accountNumber: `+${TIMEOUT_ACCOUNT}`,
        accountType: 'mmt',
        amount: { amountMinor: '1250', currency: 'USD' },
        receiptId: 'STMT1250',
        description: 'Receipt for sales bill STMT1250',
      }),
    });
    expect(res.status).toBe(202);
    const { commandId } = (await res.json()) as { commandId: string };
    await waitFor(async () => ((await debitState(commandId)) === 'UNKNOWN' ? true : undefined), 30_000, 200);
    await waitFor(async () => ((await balance('bixi-suspense')) === '1250' ? true : undefined), 60_000, 250);

    const today = new Date().toISOString().slice(0, 10);
    const exported = await fetch(`${sandbox.url}/sandbox/statements/${today}?format=csv`, {
      headers: { Authorization: `Bearer ${BIXI_TOKEN}` },
    });
    expect(exported.status).toBe(200);
    const statement = await exported.text();
    expect(statement.startsWith(`${BIXI_STATEMENT_CSV_HEADER}\r\n`)).toBe(true);
    const strangerId = randomUUID();
    const created = new Date().toISOString().replace('Z', '000Z');
    const stranger = [
      strangerId,
      'NEVERSENT',
      randomUUID(),
      '252611000009',
      'mmt',
      'hormuud',
      'approved',
      'USD',
      '123456',
      '3',
      '0.09',
      '2.91',
      created,
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'mm-statement-e2e-')), `bixi-${today}.csv`);
    writeFileSync(file, statement + csvRecord(stranger));

    const { stdout } = await run(process.execPath, [MM, 'statements', 'import', 'bixi', file, '--url', debit.url]);
    const result = JSON.parse(stdout) as StatementImportResult;
    expect(result).toMatchObject({
      linesRead: 2,
      stored: 2,
      alreadyKnown: 0,
      resolved: 1,
      breaks: [{ type: 'MISSING_IN_BOOKS', count: 1 }],
    });

    expect(await debitState(commandId)).toBe('APPROVED');
    expect(await queryOnce(debitDb.url, `select resolution_source from debit.debit_commands where command_id = $1`, [commandId])).toEqual([
      { resolution_source: 'statement' },
    ]);
    // 3 % charges on 12.50 (0.375, rounded half up): 0.38 to fees, 12.12 to settlement, suspense back to zero.
    await waitFor(async () => ((await balance('bixi-suspense')) === '0' ? true : undefined), 60_000, 250);
    expect(await balance('bixi-settlement')).toBe('1212');
    expect(await balance('fees:bixi')).toBe('38');

    const token = (await run(process.execPath, [MM, 'operator', 'token', '--sub', 'vera', '--role', 'viewer'])).stdout.trim();
    const breaks = (await (
      await fetch(`${debit.url}/v1/breaks?type=MISSING_IN_BOOKS`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      items: { statementRows: { id: string; receiptId: string }[]; bookRows: unknown[]; status: string }[];
    };
    expect(breaks.items).toEqual([
      expect.objectContaining({
        status: 'OPEN',
        statementRows: [expect.objectContaining({ id: strangerId, receiptId: 'NEVERSENT' })],
        bookRows: [],
      }),
    ]);

    // The same file again changes nothing and answers the same.
    const again = JSON.parse(
      (await run(process.execPath, [MM, 'statements', 'import', 'bixi', file, '--url', debit.url])).stdout,
    ) as StatementImportResult;
    expect(again).toEqual(result);
  });
});
