import { createTestDatabase, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { debitCommand, observe, publishCommands, resultsOf, sandboxCalls, startDebit, startSandbox, type Observed } from './debit-harness';

const ACCOUNTS = 50;
const COMMANDS = 1000;

/** Many accounts side by side, one account strictly in order — as the sandbox saw the calls. */
describe('payment-debit ordering under load', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_order');
    // A little latency keeps calls overlapping, which is what would reorder a naive concurrent consumer.
    sandbox = await startSandbox({ SANDBOX_LATENCY_MS: '3' });
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, { DEBIT_MAX_IN_FLIGHT: '16' }), observe()]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it(`${COMMANDS} commands over ${ACCOUNTS} accounts: each called once, each account in publish order`, async () => {
    const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `2547${base + i}`);
    const commands = Array.from({ length: COMMANDS }, (_, i) =>
      debitCommand({ accountNumber: `+${accounts[i % ACCOUNTS]}`, amount: { amountMinor: String(100 + i), currency: 'USD' } }),
    );
    for (let i = 0; i < commands.length; i += 250) await publishCommands(o.producer, commands.slice(i, i + 250));

    await waitFor(() => (commands.every((c) => resultsOf(o, c.commandId).length > 0) ? true : undefined), 120_000, 250);
    const byReceipt = new Map(commands.map((c, i) => [c.receiptId, i]));
    const calls = (await sandboxCalls(sandbox)).filter((c) => c.receiptId !== undefined && byReceipt.has(c.receiptId));
    expect(calls).toHaveLength(COMMANDS);
    expect(new Set(calls.map((c) => c.receiptId)).size).toBe(COMMANDS);
    let interleaved = 0;
    for (const account of accounts) {
      const sequence = calls.filter((c) => c.accountNumber === account).map((c) => byReceipt.get(c.receiptId!)!);
      expect(sequence).toHaveLength(COMMANDS / ACCOUNTS);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    }
    // Accounts really ran side by side: consecutive calls often belong to different accounts out of publish order.
    for (let i = 1; i < calls.length; i++)
      if (byReceipt.get(calls[i]!.receiptId!)! < byReceipt.get(calls[i - 1]!.receiptId!)!) interleaved++;
    expect(interleaved).toBeGreaterThan(0);
    expect(commands.every((c) => resultsOf(o, c.commandId).every((r) => r.type === 'mm.debit.approved.v1'))).toBe(true);
  }, 180_000);
});
