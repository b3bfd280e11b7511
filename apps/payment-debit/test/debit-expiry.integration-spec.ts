import { createTestDatabase, queryOnce, type RunningService, type TestDatabase } from '@mm/testing';
import {
  debitCommand,
  observe,
  publishCommands,
  resultsOf,
  sandboxCalls,
  startDebit,
  startSandbox,
  waitForResult,
  type Observed,
} from './debit-harness';

/** Stale commands (a replayed topic, a new consumer group, a restored database) never reach Bixi. */
describe('payment-debit deadlines', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_expiry');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, { DEBIT_MAX_COMMAND_AGE_MS: '600000' }), observe()]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  const stateOf = async (commandId: string) =>
    (
      await queryOnce<{ state: string; deadline: Date | null }>(
        db.url,
        `select state, deadline from debit.debit_commands where command_id = $1`,
        [commandId],
      )
    )[0];

  it('a command published longer ago than DEBIT_MAX_COMMAND_AGE_MS is EXPIRED with no Bixi call; a fresh one on the same account is approved', async () => {
    const old = debitCommand();
    const fresh = debitCommand({ accountNumber: old.accountNumber });
    const publishedAt = new Date(Date.now() - 11 * 60_000);
    await publishCommands(o.producer, [old], publishedAt);
    await publishCommands(o.producer, [fresh]);
    const expired = await waitForResult(o, old.commandId);
    expect(expired.type).toBe('mm.debit.expired.v1');
    expect(expired.data).toMatchObject({
      commandId: old.commandId,
      amount: old.amount,
      deadline: new Date(publishedAt.getTime() + 600_000).toISOString(),
    });
    expect(String(expired.data.reason)).toContain('nothing was debited');
    expect((await waitForResult(o, fresh.commandId)).type).toBe('mm.debit.approved.v1');
    expect(await sandboxCalls(sandbox, { receiptId: old.receiptId })).toHaveLength(0);
    expect(await sandboxCalls(sandbox, { receiptId: fresh.receiptId })).toHaveLength(1);
    expect(await stateOf(old.commandId)).toEqual({ state: 'EXPIRED', deadline: new Date(publishedAt.getTime() + 600_000) });
  });

  it("a sender's expiresAt in the past expires a just-published command", async () => {
    const command = debitCommand({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    await publishCommands(o.producer, [command]);
    expect((await waitForResult(o, command.commandId)).type).toBe('mm.debit.expired.v1');
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(0);
  });

  it('a redelivered expired command publishes nothing new and calls nobody', async () => {
    const command = debitCommand();
    const publishedAt = new Date(Date.now() - 60 * 60_000);
    await publishCommands(o.producer, [command], publishedAt);
    await waitForResult(o, command.commandId);
    await publishCommands(o.producer, [command, command], publishedAt);
    const marker = debitCommand({ accountNumber: command.accountNumber });
    await publishCommands(o.producer, [marker]);
    await waitForResult(o, marker.commandId); // same account, published after: the repeats were handled before it
    expect(resultsOf(o, command.commandId).map((r) => r.type)).toEqual(['mm.debit.expired.v1']);
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(0);
  });
});
