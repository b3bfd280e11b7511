import { randomUUID } from 'node:crypto';
import { Topics } from '@mm/contracts';
import { Partitioners } from 'kafkajs';
import { adminDatabaseUrl, createTestDatabase, freePort, queryOnce, startService, waitFor, type RunningService } from '@mm/testing';
import {
  api,
  debitCommand,
  observe,
  publishCommands,
  resultsOf,
  sandboxCalls,
  SANDBOX_ENTRY,
  BIXI_TOKEN,
  startDebit,
  startSandbox,
  waitForResult,
  type Observed,
} from './debit-harness';

/** An ordinary account whose key the default partitioner sends to the same partition as `account`. */
function accountOnSamePartition(account: string): string {
  const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionOf = (key: string) => partitioner({ topic: Topics.DebitRequested, partitionMetadata, message: { key, value: '' } });
  for (let i = 0; ; i++) {
    const candidate = `2526110${String(i).padStart(5, '0')}`;
    if (partitionOf(candidate) === partitionOf(account)) return candidate;
  }
}

const metric = async (service: RunningService, line: RegExp): Promise<number> => {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(line.exec(text)?.[1] ?? 0);
};
const stateOf = async (dbUrl: string, commandId: string) =>
  (
    await queryOnce<{ state: string; attempts: number }>(dbUrl, `select state, attempts from debit.debit_commands where command_id = $1`, [
      commandId,
    ])
  )[0];

/** The at-most-once promise under crash, competition and an unreachable Bixi. */
describe('payment-debit never charges twice', () => {
  let o: Observed;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    o = await observe();
  });
  // Every instance consumes every command on the shared topic: stop each test's services before the next test.
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await o?.close();
  });

  const database = async (name: string) => {
    const db = await createTestDatabase(name);
    cleanup.push(() => db.drop());
    return db;
  };
  const track = (service: RunningService) => {
    cleanup.push(() => service.stop());
    return service;
  };

  it('a crash while Bixi holds the call: the restart does not call again, the outcome is UNKNOWN and reported', async () => {
    const db = await database('debit_crash');
    const sandbox = track(await startSandbox());
    const group = `payment-debit-crash-${randomUUID()}`;
    const env = { DEBIT_CONSUMER_GROUP: group, DEBIT_SESSION_TIMEOUT_MS: '6000' };
    const first = await startDebit(db.url, sandbox.url, { ...env, BIXI_TIMEOUT_MS: '60000' });
    // A finished command on the same account first, so the partition has a committed offset to resume from.
    const stuck = debitCommand({ accountNumber: '252600000006' });
    const warmUp = debitCommand({ accountNumber: accountOnSamePartition(stuck.accountNumber) });
    await publishCommands(o.producer, [warmUp]);
    await waitForResult(o, warmUp.commandId);
    await publishCommands(o.producer, [stuck]);
    await waitFor(async () => ((await sandboxCalls(sandbox, { receiptId: stuck.receiptId })).length === 1 ? true : undefined));
    expect((await stateOf(db.url, stuck.commandId))?.state).toBe('SUBMITTING');
    await first.kill();

    const second = track(
      await startDebit(db.url, sandbox.url, {
        ...env,
        BIXI_TIMEOUT_MS: '1000',
        DEBIT_STUCK_GRACE_MS: '500',
        DEBIT_SWEEP_INTERVAL_MS: '200',
      }),
    );
    const result = await waitForResult(o, stuck.commandId, 60_000);
    expect(result.type).toBe('mm.debit.outcome-unknown.v1');
    expect(String(result.data.reason)).toContain('stopped while Bixi was being called');
    // The uncommitted message came back to the new instance, which recognised it instead of calling Bixi.
    await waitFor(
      async () => ((await metric(second, /debit_commands_skipped_total\{reason="duplicate"\} (\d+)/)) >= 1 ? true : undefined),
      30_000,
    );
    expect(await sandboxCalls(sandbox, { receiptId: stuck.receiptId })).toHaveLength(1);
    expect(await stateOf(db.url, stuck.commandId)).toEqual({ state: 'UNKNOWN', attempts: 1 });
    const listed = (await (await api(second, '/v1/debits?state=UNKNOWN')).json()) as { items: Array<{ commandId: string }> };
    expect(listed.items.map((i) => i.commandId)).toContain(stuck.commandId);
  }, 120_000);

  it('two instances that both receive every command (two groups, one database) call Bixi once per command', async () => {
    const db = await database('debit_twins');
    const sandbox = track(await startSandbox({ SANDBOX_LATENCY_MS: '5' }));
    const [a, b] = await Promise.all([startDebit(db.url, sandbox.url), startDebit(db.url, sandbox.url)]);
    track(a);
    track(b);
    const commands = Array.from({ length: 60 }, (_, i) => debitCommand({ accountNumber: `2526110${String(i % 12).padStart(5, '0')}` }));
    await publishCommands(o.producer, commands);
    await waitFor(() => (commands.every((c) => resultsOf(o, c.commandId).length > 0) ? true : undefined), 60_000);
    for (const c of commands) {
      expect(await sandboxCalls(sandbox, { receiptId: c.receiptId })).toHaveLength(1);
      expect(resultsOf(o, c.commandId).map((r) => r.type)).toEqual(['mm.debit.approved.v1']);
    }
    const skipped =
      (await metric(a, /debit_commands_skipped_total\{reason="(?:duplicate|claimed-elsewhere)"\} (\d+)/)) +
      (await metric(b, /debit_commands_skipped_total\{reason="(?:duplicate|claimed-elsewhere)"\} (\d+)/));
    expect(skipped).toBeGreaterThan(0);
  }, 120_000);

  it('Bixi unreachable (connection refused) is retried, because nothing was sent; once it is up, one call approves', async () => {
    const db = await database('debit_refused');
    const port = await freePort();
    const debit = track(await startDebit(db.url, `http://127.0.0.1:${port}`, { BIXI_CONNECT_RETRIES: '10', BIXI_RETRY_BACKOFF_MS: '200' }));
    const command = debitCommand();
    await publishCommands(o.producer, [command]);
    await waitFor(async () => ((await metric(debit, /debit_bixi_calls_total\{result="not_sent"\} (\d+)/)) >= 2 ? true : undefined), 30_000);
    // While waiting between attempts the claim is given back: a crash now would not leave a false SUBMITTING.
    const sandbox = track(await startService('bixi-sandbox', SANDBOX_ENTRY, { BIXI_API_TOKEN: BIXI_TOKEN, PORT: String(port) }));
    expect((await waitForResult(o, command.commandId, 60_000)).type).toBe('mm.debit.approved.v1');
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
    expect((await stateOf(db.url, command.commandId))!.attempts).toBeGreaterThan(2);
  }, 120_000);

  it('Bixi unreachable for longer than the retries: FAILED, saying nothing was sent', async () => {
    const db = await database('debit_unreachable');
    track(await startDebit(db.url, `http://127.0.0.1:${await freePort()}`, { BIXI_CONNECT_RETRIES: '1', BIXI_RETRY_BACKOFF_MS: '50' }));
    const command = debitCommand();
    await publishCommands(o.producer, [command]);
    const result = await waitForResult(o, command.commandId);
    expect(result.type).toBe('mm.debit.failed.v1');
    expect((result.data.reasons as string[])[0]).toContain('nothing was sent');
    expect((result.data.reasons as string[])[0]).toContain('ECONNREFUSED');
  });

  it('a wrong Bixi token is a final FAILED after one refused call', async () => {
    const db = await database('debit_token');
    const sandbox = track(await startSandbox());
    track(await startDebit(db.url, sandbox.url, { BIXI_API_TOKEN: 'not-the-right-token' }));
    const command = debitCommand();
    await publishCommands(o.producer, [command]);
    const result = await waitForResult(o, command.commandId);
    expect(result.type).toBe('mm.debit.failed.v1');
    expect((result.data.reasons as string[])[0]).toContain('401');
    const calls = await sandboxCalls(sandbox, { receiptId: command.receiptId });
    expect(calls.map((c) => c.authorized)).toEqual([false]);
  });

  it('the database dropping its connections mid-load: no command is sent to Bixi twice, and every command ends', async () => {
    const db = await database('debit_db_drop');
    const sandbox = track(await startSandbox({ SANDBOX_LATENCY_MS: '5' }));
    const debit = track(
      await startDebit(db.url, sandbox.url, { BIXI_TIMEOUT_MS: '2000', DEBIT_STUCK_GRACE_MS: '500', DEBIT_SWEEP_INTERVAL_MS: '200' }),
    );
    const commands = Array.from({ length: 150 }, (_, i) => debitCommand({ accountNumber: `2526120${String(i % 15).padStart(5, '0')}` }));
    const publishing = (async () => {
      for (let i = 0; i < commands.length; i += 10) {
        await publishCommands(o.producer, commands.slice(i, i + 10));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let terminated = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const rows = await queryOnce<{ pid: number }>(
        adminDatabaseUrl(),
        `select pg_terminate_backend(pid) as pid from pg_stat_activity where datname = $1 and application_name = 'payment-debit'`,
        [db.name],
      );
      terminated += rows.length;
      await new Promise((r) => setTimeout(r, 150));
    }
    await publishing;
    expect(terminated).toBeGreaterThan(0);

    const states = await waitFor(
      async () => {
        const rows = await queryOnce<{ command_id: string; state: string }>(db.url, `select command_id, state from debit.debit_commands`);
        const done = rows.filter((r) => ['APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN'].includes(r.state));
        return done.length === commands.length ? new Map(done.map((r) => [r.command_id, r.state])) : undefined;
      },
      90_000,
      250,
    );
    const calls = await sandboxCalls(sandbox);
    for (const c of commands) {
      const count = calls.filter((call) => call.receiptId === c.receiptId).length;
      expect(count).toBeLessThanOrEqual(1);
      // APPROVED only after a call; a command whose call was lost with its reply is UNKNOWN, never re-sent.
      if (states.get(c.commandId) === 'APPROVED') expect(count).toBe(1);
    }
    await waitFor(() => (commands.every((c) => resultsOf(o, c.commandId).length > 0) ? true : undefined), 30_000);
    expect((await fetch(`${debit.url}/health/ready`)).status).toBe(200);
  }, 180_000);
});
