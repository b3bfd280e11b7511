import {
  createTestDatabase,
  metricValue,
  queryOnce,
  scrapeMetrics,
  type RunningService,
  type TestDatabase,
  testTopic,
  waitFor,
} from '@mm/testing';
import {
  api,
  debitCommand,
  observe,
  type Observed,
  publishCommands,
  publishRaw,
  resultsOf,
  sandboxCalls,
  startDebit,
  startSandbox,
  waitForResult,
} from './debit-harness';

/** DebitRequested on Kafka → payment-debit → the sandbox process → a result on mm.debit.result.v1, one Bixi call each. */
describe('payment-debit outcomes through the Bixi sandbox', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_outcomes');
    sandbox = await startSandbox({ SANDBOX_SLOW_MS: '600' });
    [debit, o] = await Promise.all([
      startDebit(db.url, sandbox.url, { BIXI_TIMEOUT_MS: '1500', DEBIT_STUCK_GRACE_MS: '60000' }),
      observe(),
    ]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('approves the seed request: one call exactly as the seed, result with Bixi ids and money in minor units', async () => {
    const command = debitCommand({ accountNumber: '+252600000000' });
    await publishCommands(o.producer, [command]);
    const result = await waitForResult(o, command.commandId);
    expect(result.type).toBe('mm.debit.approved.v1');
    expect(result.correlationid).toBe(`corr-${command.commandId}`);
    expect(result.data).toEqual({
      commandId: command.commandId,
      accountNumber: '252600000000',
      accountType: 'mmt',
      amount: { amountMinor: '100', currency: 'USD' },
      receiptId: command.receiptId,
      bixiTransactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      referenceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      issuer: 'hormuud',
      issuerTransactionId: expect.stringMatching(/^[0-9]{6}$/),
      charges: { amountMinor: '3', currency: 'USD' },
      total: { amountMinor: '97', currency: 'USD' },
    });
    const calls = await sandboxCalls(sandbox, { receiptId: command.receiptId });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      authorized: true,
      requestId: command.commandId,
      headers: { accept: 'application/json', contentType: 'application/json' },
    });
    expect(calls[0]!.body).toEqual({
      data: {
        type: 'transactions',
        attributes: {
          memo: 'debit',
          accountNumber: '252600000000',
          accountType: 'mmt',
          receiptId: command.receiptId,
          amount: 1,
          description: command.description,
        },
      },
    });
    const stored = await (await api(debit, `/v1/debits/${command.commandId}`)).json();
    expect(stored).toMatchObject({
      state: 'APPROVED',
      attempts: 1,
      charges: { amountMinor: '3', currency: 'USD' },
      bixiTransactionId: result.data.bixiTransactionId,
    });
  });

  it.each([
    ['declined status', '252600000001', 'mm.debit.declined.v1', 'DECLINED'],
    ['insufficient funds (402)', '252600000002', 'mm.debit.declined.v1', 'DECLINED'],
    ['a 500', '252600000003', 'mm.debit.outcome-unknown.v1', 'UNKNOWN'],
    ['a malformed 200', '252600000004', 'mm.debit.outcome-unknown.v1', 'UNKNOWN'],
    ['a slow answer within the timeout', '252600000005', 'mm.debit.approved.v1', 'APPROVED'],
    ['no answer (timeout)', '252600000006', 'mm.debit.outcome-unknown.v1', 'UNKNOWN'],
    ['a connection dropped after sending', '252600000007', 'mm.debit.outcome-unknown.v1', 'UNKNOWN'],
    ['a pending status', '252600000008', 'mm.debit.outcome-unknown.v1', 'UNKNOWN'],
  ])('%s → %s, after exactly one Bixi call', async (_name, accountNumber, type, state) => {
    const command = debitCommand({ accountNumber: `00${accountNumber}` });
    await publishCommands(o.producer, [command]);
    const result = await waitForResult(o, command.commandId);
    expect(result.type).toBe(type);
    if (state !== 'APPROVED') expect(String(result.data.reason)).not.toHaveLength(0);
    expect(((await (await api(debit, `/v1/debits/${command.commandId}`)).json()) as { state: string }).state).toBe(state);
    // Give a wrongful retry time to happen before counting.
    await new Promise((r) => setTimeout(r, 500));
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
  });

  it('lists UNKNOWN outcomes for reconciliation', async () => {
    const res = await api(debit, '/v1/debits?state=UNKNOWN&limit=500');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ state: string; accountNumber: string }> };
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items.every((i) => i.state === 'UNKNOWN')).toBe(true);
    expect(new Set(items.map((i) => i.accountNumber))).toEqual(
      new Set(['252600000003', '252600000004', '252600000006', '252600000007', '252600000008']),
    );
  });

  it('exposes the open UNKNOWN debits, the age of the oldest and the outcomes on /metrics', async () => {
    const res = await api(debit, '/v1/debits?state=UNKNOWN&limit=500');
    const { items } = (await res.json()) as { items: unknown[] };
    const text = await scrapeMetrics(debit.url);
    expect(metricValue(text, 'debit_unknown_open')).toBe(items.length);
    const age = metricValue(text, 'debit_unknown_oldest_age_seconds');
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(600);
    expect(metricValue(text, 'debit_outcomes_total', { state: 'UNKNOWN' })).toBeGreaterThanOrEqual(items.length);
    expect(
      metricValue(text, 'http_server_request_duration_seconds_count', { method: 'GET', route: '/v1/debits', status: '200' }),
    ).toBeGreaterThan(0);
    expect(metricValue(text, 'service_ready')).toBe(1);
  });

  it('a redelivered command calls Bixi once and publishes one result', async () => {
    const command = debitCommand();
    await publishCommands(o.producer, [command, command]);
    await waitForResult(o, command.commandId);
    await publishCommands(o.producer, [command]);
    const marker = debitCommand({ accountNumber: command.accountNumber });
    await publishCommands(o.producer, [marker]);
    await waitForResult(o, marker.commandId); // same account, published after: the repeats were handled before it
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
    expect(o.results.filter((m) => String(m.value).includes(command.commandId))).toHaveLength(1);
  });

  it('the same commandId with different content is dead-lettered, never sent', async () => {
    const command = debitCommand();
    await publishCommands(o.producer, [command]);
    await waitForResult(o, command.commandId);
    await publishCommands(o.producer, [{ ...command, amount: { amountMinor: '99999', currency: 'USD' } }]);
    const dead = await waitFor(() => o.dlq.find((m) => String(m.value).includes(command.commandId)));
    expect(String(dead.headers!.mm_dlq_reason)).toContain('already used for a different debit');
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
  });

  it.each([
    ['three-decimal style amount', { amount: { amountMinor: '1.5', currency: 'USD' } }, 'amount'],
    ['zero amount', { amount: { amountMinor: '0', currency: 'USD' } }, 'amount'],
    ['amount in KES', { amount: { amountMinor: '100', currency: 'KES' } }, 'amount'],
    ['receiptId of 12 characters', { receiptId: '123456789012' }, 'receiptId'],
    ['unknown accountType', { accountType: 'paypal' }, 'accountType'],
    ['no description', { description: undefined }, 'description'],
    ['account with letters', { accountNumber: '+2526ABC' }, 'accountNumber'],
  ])('an invalid command (%s) becomes DebitFailed naming the field, with no Bixi call', async (_name, change, field) => {
    const command = { ...debitCommand(), ...change } as ReturnType<typeof debitCommand>;
    await publishCommands(o.producer, [command]);
    const result = await waitForResult(o, command.commandId);
    expect(result.type).toBe('mm.debit.failed.v1');
    expect((result.data.reasons as string[]).join(' ')).toContain(field);
    expect(await sandboxCalls(sandbox, { requestId: command.commandId })).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"specversion":'],
    ['an empty value', null],
    ['not an envelope', JSON.stringify({ hello: 'world' })],
    ['another event type', JSON.stringify({ specversion: '1.0', id: 'x1', type: 'mm.payment.received.v1', source: 's', data: {} })],
    [
      'a command without commandId',
      JSON.stringify({ specversion: '1.0', id: 'x2', type: 'mm.debit.requested.v1', source: 's', data: { accountNumber: '1' } }),
    ],
    ['an oversized message', `{"pad":"${'x'.repeat(300 * 1024)}"}`],
  ])('poison (%s) goes to mm.dlq.payment-debit.v1 with the reason, and the consumer carries on', async (_name, value) => {
    const key = `poison-${Math.random()}`;
    await publishRaw(o.producer, value, key);
    const dead = await waitFor(() => o.dlq.find((m) => String(m.key) === key));
    expect(String(dead.headers!.mm_dlq_reason)).not.toHaveLength(0);
    expect(String(dead.headers!.mm_dlq_topic)).toBe(testTopic('mm.debit.requested.v1'));
    const after = debitCommand();
    await publishCommands(o.producer, [after]);
    expect((await waitForResult(o, after.commandId)).type).toBe('mm.debit.approved.v1');
  });

  // Schema-valid before, refused by PostgreSQL, so redelivered forever and the account's later commands stalled behind it.
  it.each([
    ['a NUL byte in description', { description: 'Receipt\u0000 for bill 1' }, 'description'],
    ['a 31-digit amount', { amount: { amountMinor: '1'.repeat(31), currency: 'USD' } }, 'amount'],
    ['a negative 31-digit amount', { amount: { amountMinor: `-${'9'.repeat(30)}`, currency: 'USD' } }, 'amount'],
  ])(
    "a command PostgreSQL cannot store (%s) is dead-lettered with the reason; the account's next command is still processed",
    async (_name, change, field) => {
      const poison = { ...debitCommand(), ...change } as ReturnType<typeof debitCommand>;
      const next = debitCommand({ accountNumber: poison.accountNumber });
      await publishCommands(o.producer, [poison, next]);
      const dead = await waitFor(() => o.dlq.find((m) => String(m.value).includes(poison.commandId)), 30_000);
      expect(String(dead.headers!.mm_dlq_reason)).toContain(field);
      expect((await waitForResult(o, next.commandId)).type).toBe('mm.debit.approved.v1');
      expect(resultsOf(o, poison.commandId)).toEqual([]);
      expect(await sandboxCalls(sandbox, { requestId: poison.commandId })).toHaveLength(0);
      expect((await fetch(`${debit.url}/health/ready`)).status).toBe(200);
    },
  );

  it('leaves no command between RECEIVED and a final state once the results are out', async () => {
    const rows = await queryOnce<{ count: string }>(
      db.url,
      `select count(*) from debit.debit_commands where state in ('RECEIVED', 'SUBMITTING')`,
    );
    expect(Number(rows[0]!.count)).toBe(0);
  });
});
