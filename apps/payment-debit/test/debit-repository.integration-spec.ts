import { randomUUID } from 'node:crypto';
import { initialiseDataSource } from '@mm/platform';
import { createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import type { DataSource } from 'typeorm';
import type { BixiOutcome } from '../src/debits/bixi-outcome';
import { debitDataSourceOptions } from '../src/data-source';
import { requestFingerprint, type DebitCommand } from '../src/debits/debit-command';
import { resolutionFor, resultFor } from '../src/debits/debit-results';
import type { PgDebitRepository } from '../src/postgres/debit.pg-repository';
import { pgDebitRepository } from './debit-harness';

const command = (overrides: Partial<DebitCommand> = {}): DebitCommand => ({
  commandId: randomUUID(),
  accountNumber: '254700000001',
  accountType: 'mmt',
  amount: { amountMinor: '1500', currency: 'USD' } as DebitCommand['amount'],
  receiptId: 'R1',
  description: 'repository test',
  requestedAt: new Date().toISOString(),
  correlationId: randomUUID(),
  ...overrides,
});

const approved = (id: string): BixiOutcome => ({
  state: 'APPROVED',
  transaction: {
    bixiTransactionId: id,
    referenceId: `ref-${id}`,
    issuer: 'mpesa',
    issuerTransactionId: `iss-${id}`,
    bixiStatus: 'approved',
    charges: { amountMinor: '10', currency: 'USD' },
    total: { amountMinor: '1510', currency: 'USD' },
  },
});

/** The micro-batched statements keep the single-statement guarantees: one claim per command, one outcome per claim. */
describe('PgDebitRepository batching', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: PgDebitRepository;
  const owner = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('debit_repo');
    dataSource = await initialiseDataSource(
      debitDataSourceOptions({ DATABASE_URL: db.url, DATABASE_SCHEMA: 'debit', DATABASE_POOL_SIZE: 4 }, true),
    );
    repository = pgDebitRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const receive = (c: DebitCommand) => repository.receive(c, requestFingerprint(c), undefined, owner);

  it('many concurrent new commands are each stored once, claimed, and answered as new', async () => {
    const commands = Array.from({ length: 300 }, (_, i) => command({ receiptId: `N${i}` }));
    const results = await Promise.all(commands.map(receive));
    expect(results.every((r) => r.kind === 'new' && r.claimed)).toBe(true);
    const rows = await queryOnce<{ n: string }>(
      db.url,
      `select count(*)::text as n from debit.debit_commands where command_id = any($1::uuid[]) and state = 'SUBMITTING'`,
      [commands.map((c) => c.commandId)],
    );
    expect(rows[0]!.n).toBe('300');
  });

  // Behind 20 others the copies queue into one batch; in front of them each goes out alone, side by side.
  it.each([
    ['in one batch', true],
    ['in concurrent statements', false],
  ])(
    'copies of one command arriving together (%s): exactly one is new, the others see it claimed, a changed copy is told apart',
    async (_, queued) => {
      const original = command();
      const upper = { ...original, commandId: original.commandId.toUpperCase() };
      const changed: DebitCommand = { ...original, amount: { amountMinor: '9999', currency: 'USD' } };
      const others = queued ? Array.from({ length: 20 }, () => receive(command())) : [];
      const results = await Promise.all([receive(original), receive(upper), receive(changed)]);
      await Promise.all(others);
      const forOriginal = results;
      expect(forOriginal.filter((r) => r.kind === 'new')).toHaveLength(1);
      const existing = forOriginal.filter((r) => r.kind === 'existing');
      expect(existing).toHaveLength(2);
      expect(existing.every((r) => r.kind === 'existing' && r.state === 'SUBMITTING')).toBe(true);
      // Whichever copy won, the changed amount differs from the stored request.
      const changedResult = results[2]!;
      if (changedResult.kind === 'existing') expect(changedResult.sameRequest).toBe(false);
      else expect(existing.every((r) => r.kind === 'existing' && !r.sameRequest)).toBe(true);
    },
  );

  it('a command stored earlier is reported with its stored state, never as new', async () => {
    const c = command();
    expect(await receive(c)).toEqual({ kind: 'new', claimed: true });
    expect(await receive(c)).toEqual({ kind: 'existing', state: 'SUBMITTING', sameRequest: true });
  });

  it('outcomes finish only the claims their owner holds, each with one result row in the outbox', async () => {
    const commands = Array.from({ length: 50 }, (_, i) => command({ receiptId: `F${i}` }));
    await Promise.all(commands.map(receive));
    const stranger = randomUUID();
    const finished = await Promise.all(
      commands.map((c, i) => {
        const outcome = approved(`bx-${i}`);
        return repository.finish(c.commandId, i % 10 === 0 ? stranger : owner, outcome, resultFor(c, outcome));
      }),
    );
    expect(finished.filter(Boolean)).toHaveLength(45);
    expect(finished.filter((f, i) => f !== (i % 10 !== 0))).toHaveLength(0);
    const states = await queryOnce<{ state: string; n: string }>(
      db.url,
      `select state, count(*)::text as n from debit.debit_commands where command_id = any($1::uuid[]) group by state order by state`,
      [commands.map((c) => c.commandId)],
    );
    expect(states).toEqual([
      { state: 'APPROVED', n: '45' },
      { state: 'SUBMITTING', n: '5' },
    ]);
    const stored = await queryOnce<{ bixi_transaction_id: string; total_minor: string; charges_minor: string }>(
      db.url,
      `select bixi_transaction_id, total_minor::text, charges_minor::text from debit.debit_commands where command_id = $1`,
      [commands[1]!.commandId],
    );
    expect(stored).toEqual([{ bixi_transaction_id: 'bx-1', total_minor: '1510', charges_minor: '10' }]);
    const outbox = await queryOnce<{ n: string }>(
      db.url,
      `select count(*)::text as n from debit.outbox where payload::jsonb->>'subject' = any($1::text[])`,
      [commands.map((c) => c.commandId)],
    );
    expect(outbox[0]!.n).toBe('45');
    // A second outcome for a finished command changes nothing and queues nothing.
    const again = approved('bx-again');
    expect(await repository.finish(commands[1]!.commandId, owner, again, resultFor(commands[1]!, again))).toBe(false);
    const after = await queryOnce<{ n: string }>(
      db.url,
      `select count(*)::text as n from debit.outbox where payload::jsonb->>'subject' = $1`,
      [commands[1]!.commandId],
    );
    expect(after[0]!.n).toBe('1');
  });

  it('declined, failed and unknown outcomes keep their reasons', async () => {
    const [d, f, u] = [command(), command(), command()];
    await Promise.all([d, f, u].map(receive));
    const outcomes: [DebitCommand, BixiOutcome][] = [
      [d, { state: 'DECLINED', reason: 'Bixi status declined', bixiStatus: 'declined', bixiTransactionId: 'bx-d' }],
      [f, { state: 'FAILED', reasons: ['Bixi refused the request (422)', 'bad account'] }],
      [u, { state: 'UNKNOWN', reason: 'Bixi answered 503; the debit may or may not have happened' }],
    ];
    await Promise.all(outcomes.map(([c, o]) => repository.finish(c.commandId, owner, o, resultFor(c, o))));
    const rows = await queryOnce<{ command_id: string; state: string; reasons: string[]; bixi_status: string | null }>(
      db.url,
      `select command_id::text, state, reasons, bixi_status from debit.debit_commands where command_id = any($1::uuid[])`,
      [[d.commandId, f.commandId, u.commandId]],
    );
    const byId = new Map(rows.map((r) => [r.command_id, r]));
    expect(byId.get(d.commandId)).toMatchObject({ state: 'DECLINED', reasons: ['Bixi status declined'], bixi_status: 'declined' });
    expect(byId.get(f.commandId)).toMatchObject({
      state: 'FAILED',
      reasons: ['Bixi refused the request (422)', 'bad account'],
      bixi_status: null,
    });
    expect(byId.get(u.commandId)).toMatchObject({
      state: 'UNKNOWN',
      reasons: ['Bixi answered 503; the debit may or may not have happened'],
    });
  });

  it('a late answer resolves an UNKNOWN of its own call once: state, Bixi fields and one outcome-resolved event in the outbox', async () => {
    const c = command();
    await receive(c);
    await dataSource.query(`update debit_commands set submitted_at = now() - interval '1 hour' where command_id = $1`, [c.commandId]);
    const swept = await repository.markStuckUnknown(60_000, 'swept', (row) => resultFor(row, { state: 'UNKNOWN', reason: 'swept' }));
    expect(swept.map((r) => r.commandId)).toContain(c.commandId);
    const outcome = approved('bx-late');
    if (outcome.state !== 'APPROVED') throw new Error('fixture');
    const resolution = { kind: 'late-answer' as const, answeredAt: new Date().toISOString(), evidence: 'late' };
    const resolve = (owner_: string) => repository.resolveLate(c.commandId, owner_, outcome, resolutionFor(c, outcome, resolution));
    expect(await resolve(randomUUID())).toBe(false); // not this instance's call
    expect(await Promise.all([resolve(owner), resolve(owner)])).toEqual(expect.arrayContaining([true, false]));
    expect(await resolve(owner)).toBe(false);
    const [row] = await queryOnce<{
      state: string;
      bixi_transaction_id: string;
      total_minor: string;
      resolution_source: string;
      reasons: string[];
    }>(
      db.url,
      `select state, bixi_transaction_id, total_minor::text, resolution_source, reasons from debit.debit_commands where command_id = $1`,
      [c.commandId],
    );
    expect(row).toEqual({
      state: 'APPROVED',
      bixi_transaction_id: 'bx-late',
      total_minor: '1510',
      resolution_source: 'late-answer',
      reasons: ['swept'],
    });
    const types = await queryOnce<{ type: string }>(
      db.url,
      `select payload::jsonb->>'type' as type from debit.outbox where payload::jsonb->>'subject' = $1 order by id`,
      [c.commandId],
    );
    expect(types.map((t) => t.type)).toEqual(['mm.debit.outcome-unknown.v1', 'mm.debit.outcome-resolved.v1']);
  });
});
