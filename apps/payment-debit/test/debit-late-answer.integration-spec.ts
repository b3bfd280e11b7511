import { initialiseDataSource } from '@mm/platform';
import { createTestDatabase, queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import type { DataSource } from 'typeorm';
import type { DebitConfig } from '../src/config';
import { debitDataSourceOptions } from '../src/data-source';
import type { DebitMetrics } from '../src/debit.metrics';
import { StuckSubmissionsService } from '../src/process-debit/stuck-submissions.service';
import {
  debitCommand,
  observe,
  pgDebitRepository,
  publishCommands,
  resultsOf,
  sandboxCalls,
  startDebit,
  startSandbox,
  waitForResult,
  type Observed,
} from './debit-harness';

const SLOW_ACCOUNT = '252600000005';
const metrics = new Proxy({}, { get: () => ({ inc: () => undefined }) }) as unknown as DebitMetrics;

/** The sweep gives up on a call Bixi is still holding; when Bixi then answers, the real outcome is recorded. */
describe('payment-debit late Bixi answers', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('debit_late');
    sandbox = await startSandbox({ SANDBOX_SLOW_MS: '5000' });
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, { BIXI_TIMEOUT_MS: '30000' }), observe()]);
    dataSource = await initialiseDataSource(
      debitDataSourceOptions({ DATABASE_URL: db.url, DATABASE_SCHEMA: 'debit', DATABASE_POOL_SIZE: 2 }),
    );
  });
  afterAll(async () => {
    await o?.close();
    await dataSource?.destroy();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('a slow call swept to UNKNOWN is resolved by its late approval: one outcome-resolved event, state APPROVED, one Bixi call', async () => {
    const command = debitCommand({ accountNumber: SLOW_ACCOUNT });
    await publishCommands(o.producer, [command]);
    await waitFor(
      async () => ((await sandboxCalls(sandbox, { receiptId: command.receiptId })).length === 1 ? true : undefined),
      20_000,
      100,
    );
    // Another instance's sweep, with a shorter horizon than this call (a paused process, or a misconfigured timeout).
    const sweeper = new StuckSubmissionsService(
      pgDebitRepository(dataSource),
      { BIXI_TIMEOUT_MS: 0, DEBIT_STUCK_GRACE_MS: 0 } as DebitConfig,
      metrics,
    );
    expect(await sweeper.sweep()).toBe(1);
    expect((await waitForResult(o, command.commandId)).type).toBe('mm.debit.outcome-unknown.v1');

    const resolved = await waitFor(
      () => resultsOf(o, command.commandId).find((r) => r.type === 'mm.debit.outcome-resolved.v1'),
      20_000,
      100,
    );
    expect(resolved.data).toMatchObject({
      commandId: command.commandId,
      outcome: 'DEBITED',
      amount: command.amount,
      bixiTransactionId: expect.any(String),
      issuer: 'hormuud',
      charges: { amountMinor: '3', currency: 'USD' },
      total: { amountMinor: '97', currency: 'USD' },
      resolution: { kind: 'late-answer', answeredAt: expect.any(String), evidence: expect.stringContaining('approved') },
    });
    const [row] = await queryOnce<{ state: string; resolution_source: string; charges_minor: string }>(
      db.url,
      `select state, resolution_source, charges_minor::text from debit.debit_commands where command_id = $1`,
      [command.commandId],
    );
    expect(row).toEqual({ state: 'APPROVED', resolution_source: 'late-answer', charges_minor: '3' });

    // Redelivered, and swept again: nothing is sent, nothing more is published.
    await publishCommands(o.producer, [command]);
    expect(await sweeper.sweep()).toBe(0);
    const marker = debitCommand({ accountNumber: SLOW_ACCOUNT.replace(/5$/, '9') });
    await publishCommands(o.producer, [marker]);
    await waitForResult(o, marker.commandId);
    await new Promise((r) => setTimeout(r, 1000));
    expect(resultsOf(o, command.commandId).map((r) => r.type)).toEqual(['mm.debit.outcome-unknown.v1', 'mm.debit.outcome-resolved.v1']);
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
  }, 90_000);
});
