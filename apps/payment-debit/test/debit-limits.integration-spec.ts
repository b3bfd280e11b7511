import { randomInt, randomUUID } from 'node:crypto';
import type { DebitRequested } from '@mm/contracts';
import { createTestDatabase, queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import {
  api,
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

const LIMITS = {
  windowMs: 60_000,
  perAccount: { maxCount: 2, maxAmount: { USD: '1000' } },
  perRequester: { maxCount: 5, maxAmount: { USD: '3000' } },
};
const SLOW = '252600000005';
const TIMEOUT = '252600000006';

/** An account of its own (never a sandbox magic one: those start 25260000000). */
const account = () => `2547${randomInt(10_000_000, 99_999_999)}`;
const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' as const });
/** A command of a test's own requester unless told otherwise: the unnamed bucket is used by one test only. */
const command = (requestedBy: string | undefined, o: Partial<DebitRequested> = {}): DebitRequested => {
  const c = debitCommand({ accountNumber: account(), ...o });
  return requestedBy === undefined ? c : { ...c, requestedBy };
};
const requester = () => `team-${randomUUID()}`;

/** SPEC §9 limits: over a limit → DECLINED (LIMIT_EXCEEDED), result through the outbox, Bixi never called. */
describe('payment-debit debit limits', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_limits');
    sandbox = await startSandbox({ SANDBOX_SLOW_MS: '2500', SANDBOX_HOLD_MS: '10000' });
    [debit, o] = await Promise.all([
      startDebit(db.url, sandbox.url, { DEBIT_LIMITS: JSON.stringify(LIMITS), BIXI_TIMEOUT_MS: '4000', DEBIT_STUCK_GRACE_MS: '60000' }),
      observe(),
    ]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  const stored = async (commandId: string) =>
    (
      await queryOnce<{ state: string; reasons: string[] | null; requester: string | null }>(
        db.url,
        `select state, reasons, requester from debit.debit_commands where command_id = $1`,
        [commandId],
      )
    )[0];
  /** Publishes, waits for every result, and answers each command's result type (and decline reason). */
  const run = async (commands: DebitRequested[]) => {
    await publishCommands(o.producer, commands);
    const results = await Promise.all(commands.map((c) => waitForResult(o, c.commandId)));
    return results.map((r) => (r.type === 'mm.debit.declined.v1' ? `declined: ${String(r.data.reason)}` : r.type));
  };
  const callsFor = async (c: DebitRequested) => (await sandboxCalls(sandbox, { receiptId: c.receiptId })).length;
  /** A row as another instance or an earlier run left it, `ageMs` old. */
  const insertRow = (accountNumber: string, state: string, amountMinor: string, ageMs = 1000, attempts = 1) =>
    queryOnce(
      db.url,
      `insert into debit.debit_commands (command_id, request_sha256, correlation_id, account_number, account_type, amount_minor,
         currency, receipt_id, description, state, attempts, claimed_by, submitted_at, created_at)
       values ($1, '\\x00', 'corr', $2, 'mmt', $3, 'USD', 'R', 'inserted', $4, $5, $6, now(), now() - ($7 * interval '1 millisecond'))`,
      [randomUUID(), accountNumber, amountMinor, state, attempts, randomUUID(), ageMs],
    );

  it('per account, count: the third debit in the window is DECLINED (LIMIT_EXCEEDED), never sent, and counted', async () => {
    const who = requester();
    const first = command(who);
    const [second, third] = [command(who, { accountNumber: first.accountNumber }), command(who, { accountNumber: first.accountNumber })];
    expect(await run([first, second, third])).toEqual([
      'mm.debit.approved.v1',
      'mm.debit.approved.v1',
      'declined: LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms',
    ]);
    expect(resultsOf(o, third.commandId)[0]?.data).toMatchObject({ commandId: third.commandId, amount: third.amount });
    expect(await callsFor(third)).toBe(0);
    expect(await callsFor(second)).toBe(1);
    expect(await stored(third.commandId)).toEqual({
      state: 'DECLINED',
      reasons: ['LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms'],
      requester: who,
    });
    const metrics = await (await fetch(`${debit.url}/metrics`)).text();
    expect(metrics).toMatch(/debit_limit_exceeded_total\{scope="perAccount",measure="maxCount"\} [1-9]/);
  });

  it('per account, amount: over the sum is declined; a declined debit does not count, so exactly the limit still passes', async () => {
    const who = requester();
    const a = command(who, { amount: usd('600') });
    const [b, c] = [
      command(who, { accountNumber: a.accountNumber, amount: usd('500') }),
      command(who, { accountNumber: a.accountNumber, amount: usd('400') }),
    ];
    expect(await run([a, b, c])).toEqual([
      'mm.debit.approved.v1',
      'declined: LIMIT_EXCEEDED: perAccount.maxAmount USD 1100/1000 within 60000 ms',
      'mm.debit.approved.v1',
    ]);
    expect(await callsFor(b)).toBe(0);
  });

  it('per requester, amount: across accounts, the debit that takes the sum past the limit is declined', async () => {
    const who = requester();
    expect(await run([1, 2, 3].map(() => command(who, { amount: usd('1000') })))).toEqual(Array(3).fill('mm.debit.approved.v1'));
    const over = command(who, { amount: usd('1') });
    expect(await run([over])).toEqual(['declined: LIMIT_EXCEEDED: perRequester.maxAmount USD 3001/3000 within 60000 ms']);
    expect(await callsFor(over)).toBe(0);
    expect(await run([command(requester(), { accountNumber: over.accountNumber, amount: usd('1') })])).toEqual(['mm.debit.approved.v1']);
  });

  it('commands without a requester all count under the unnamed requester', async () => {
    const unnamed = Array.from({ length: 6 }, () => command(undefined));
    expect(unnamed.every((c) => c.requestedBy === undefined)).toBe(true);
    const types = await run(unnamed);
    expect(types.filter((t) => t === 'mm.debit.approved.v1')).toHaveLength(5);
    expect(types.filter((t) => t === 'declined: LIMIT_EXCEEDED: perRequester.maxCount 6/5 within 60000 ms')).toHaveLength(1);
    expect((await stored(unnamed[0]!.commandId))?.requester).toBeNull();
  });

  it('an UNKNOWN debit counts against its account', async () => {
    const who = requester();
    const unknown = command(who, { accountNumber: `+${TIMEOUT}`, amount: usd('700') });
    const next = command(who, { accountNumber: `+${TIMEOUT}`, amount: usd('400') });
    expect(await run([unknown, next])).toEqual([
      'mm.debit.outcome-unknown.v1',
      'declined: LIMIT_EXCEEDED: perAccount.maxAmount USD 1100/1000 within 60000 ms',
    ]);
    expect(await callsFor(next)).toBe(0);
  });

  /** A second instance on the same database, in a consumer group of its own: every command reaches both, one claims it. */
  describe('with a second instance', () => {
    let twin: RunningService;
    beforeAll(async () => {
      twin = await startDebit(db.url, sandbox.url, {
        DEBIT_LIMITS: JSON.stringify(LIMITS),
        BIXI_TIMEOUT_MS: '4000',
        DEBIT_STUCK_GRACE_MS: '60000',
      });
    });
    afterAll(async () => {
      await twin?.stop();
    });

    it('a burst for one requester across accounts, more than its count, approves exactly the limit', async () => {
      const who = requester();
      const burst = Array.from({ length: 14 }, () => command(who));
      // Half on Kafka, half over HTTP (outbox → Kafka): all arrive together, on different accounts and partitions.
      const posted = burst.slice(7).map((c) => api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(c) }));
      await Promise.all([publishCommands(o.producer, burst.slice(0, 7)), ...posted]);
      const outcomes = await Promise.all(burst.map((c) => waitForResult(o, c.commandId, 60_000)));
      expect(outcomes.filter((r) => r.type === 'mm.debit.approved.v1')).toHaveLength(5);
      const declined = outcomes.filter((r) => r.type === 'mm.debit.declined.v1').map((r) => String(r.data.reason));
      expect(declined).toEqual(Array(9).fill('LIMIT_EXCEEDED: perRequester.maxCount 6/5 within 60000 ms'));
      const calls = await Promise.all(burst.map(callsFor));
      expect(calls.reduce((n, x) => n + x, 0)).toBe(5);
      expect((await stored(burst[13]!.commandId))?.requester).toBe(who);
    });

    it('a debit in flight at Bixi counts against its requester', async () => {
      const who = requester();
      expect(await run([command(who, { amount: usd('1000') }), command(who, { amount: usd('1000') })])).toEqual(
        Array(2).fill('mm.debit.approved.v1'),
      );
      const slow = command(who, { accountNumber: `+${SLOW}`, amount: usd('1000') });
      await publishCommands(o.producer, [slow]);
      // One instance holds the slow call (and the rest of its fetch); the other takes the next command meanwhile.
      await waitFor(async () => ((await stored(slow.commandId))?.state === 'SUBMITTING' ? true : undefined), 10_000, 20);
      const meanwhile = command(who, { amount: usd('5') });
      expect(await run([meanwhile])).toEqual(['declined: LIMIT_EXCEEDED: perRequester.maxAmount USD 3005/3000 within 60000 ms']);
      expect((await waitForResult(o, slow.commandId)).type).toBe('mm.debit.approved.v1');
      // The decline was stored while the slow call was still at Bixi (its row took its outcome only afterwards).
      const [declinedAt, slowDoneAt] = await Promise.all(
        [meanwhile, slow].map(
          async (c) =>
            (await queryOnce<{ t: Date }>(db.url, `select updated_at t from debit.debit_commands where command_id = $1`, [c.commandId]))[0]!
              .t,
        ),
      );
      expect(declinedAt!.getTime()).toBeLessThan(slowDoneAt!.getTime());
    });
  });

  it('what counts: in-window claimed, in-flight and retrying debits do; older, declined, failed, expired and never-claimed ones do not', async () => {
    const quiet = account();
    await insertRow(quiet, 'APPROVED', '1000', 120_000); // outside the 60 s window
    await insertRow(quiet, 'UNKNOWN', '1000', 61_000);
    for (const state of ['DECLINED', 'FAILED', 'EXPIRED']) await insertRow(quiet, state, '1000');
    await insertRow(quiet, 'RECEIVED', '1000', 1000, 0); // stored, never claimed: checked when its own turn comes
    expect(await run([command(requester(), { accountNumber: quiet, amount: usd('1000') })])).toEqual(['mm.debit.approved.v1']);

    const busy = account();
    await insertRow(busy, 'SUBMITTING', '100');
    await insertRow(busy, 'RECEIVED', '100', 1000, 1); // given back after a connection that never left: retrying
    expect(await run([command(requester(), { accountNumber: busy, amount: usd('100') })])).toEqual([
      'declined: LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms',
    ]);
    const approvedBefore = account();
    await insertRow(approvedBefore, 'APPROVED', '999', 50_000);
    expect(await run([command(requester(), { accountNumber: approvedBefore, amount: usd('2') })])).toEqual([
      'declined: LIMIT_EXCEEDED: perAccount.maxAmount USD 1001/1000 within 60000 ms',
    ]);
  });

  it('a redelivered command is counted once, and a redelivered declined one stays declined with no call', async () => {
    const who = requester();
    const once = command(who, { amount: usd('600') });
    await publishCommands(o.producer, [once, once]);
    const rest = command(who, { accountNumber: once.accountNumber, amount: usd('400') });
    const over = command(who, { accountNumber: once.accountNumber, amount: usd('1') });
    expect(await run([rest, over])).toEqual(['mm.debit.approved.v1', 'declined: LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms']);
    await publishCommands(o.producer, [over, once]);
    const marker = command(requester(), { accountNumber: once.accountNumber });
    await run([marker]); // same account, published after: the repeats were handled before it
    expect(resultsOf(o, once.commandId).map((r) => r.type)).toEqual(['mm.debit.approved.v1']);
    expect(resultsOf(o, over.commandId).map((r) => r.type)).toEqual(['mm.debit.declined.v1']);
    expect([await callsFor(once), await callsFor(over)]).toEqual([1, 0]);
    expect((await stored(over.commandId))?.state).toBe('DECLINED');
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['empty', ''],
    ['with a control character', 'team\u0000a'],
    ['not text', 42],
  ])('refuses a requestedBy %s over HTTP with 400, and stores nothing', async (_what, requestedBy) => {
    const c = { ...command(undefined), requestedBy };
    const res = await api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(c) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('requestedBy');
    expect(await stored(c.commandId)).toBeUndefined();
  });
});

describe('payment-debit without DEBIT_LIMITS', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_no_limits');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, { DEBIT_LIMITS: '' }), observe()]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('changes nothing: every debit of one account and one requester is sent, and the requester is stored', async () => {
    const who = requester();
    const first = command(who, { amount: usd('900') });
    const commands = [first, ...Array.from({ length: 7 }, () => command(who, { accountNumber: first.accountNumber, amount: usd('900') }))];
    await publishCommands(o.producer, commands);
    const results = await Promise.all(commands.map((c) => waitForResult(o, c.commandId)));
    expect(results.map((r) => r.type)).toEqual(Array(8).fill('mm.debit.approved.v1'));
    expect(await Promise.all(commands.map(async (c) => (await sandboxCalls(sandbox, { receiptId: c.receiptId })).length))).toEqual(
      Array(8).fill(1),
    );
    const rows = await queryOnce<{ requester: string }>(
      db.url,
      `select distinct requester from debit.debit_commands where command_id = any($1::uuid[])`,
      [commands.map((c) => c.commandId)],
    );
    expect(rows).toEqual([{ requester: who }]);
    expect(await (await fetch(`${debit.url}/metrics`)).text()).not.toMatch(/debit_limit_exceeded_total\{/);
  });
});
