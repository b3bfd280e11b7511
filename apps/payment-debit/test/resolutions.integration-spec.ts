import { randomUUID } from 'node:crypto';
import { initialiseDataSource, type OperatorActionView } from '@mm/platform';
import { queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import type { DataSource } from 'typeorm';
import { debitDataSourceOptions } from '../src/data-source';
import { resolutionFor } from '../src/debits/debit-results';
import { resolveUnknown } from '../src/postgres/resolve-unknown';
import { api, debitCommand, resultsOf, waitForResult, type Observed } from './debit-harness';
import { asOperator, debitedClaim, errorOf, proposalOf, startResolutionRig, unknownDebit, type ResolutionRig } from './resolution-harness';

const RESOLVED = 'mm.debit.outcome-resolved.v1';
const ids = () => ({ bixiTransactionId: randomUUID(), referenceId: randomUUID(), issuerTransactionId: '482913' });

/** Maker-checker resolution of UNKNOWN debits over HTTP, with real operator tokens, real PostgreSQL and Kafka. */
describe('payment-debit resolutions (maker-checker)', () => {
  let rig: ResolutionRig;
  let db: TestDatabase;
  let debit: RunningService;
  let o: Observed;
  let t: ResolutionRig['t'];
  let dataSource: DataSource;

  beforeAll(async () => {
    rig = await startResolutionRig('debit_resolutions');
    ({ db, debit, o, t } = rig);
    dataSource = await initialiseDataSource(
      debitDataSourceOptions({ DATABASE_URL: db.url, DATABASE_SCHEMA: 'debit', DATABASE_POOL_SIZE: 2 }),
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await rig?.stop();
  });

  const propose: ResolutionRig['propose'] = (...a) => rig.propose(...a);
  const decide: ResolutionRig['decide'] = (...a) => rig.decide(...a);
  const resolvedEvents = (commandId: string) => resultsOf(o, commandId).filter((e) => e.type === RESOLVED);
  /** Waits until a later command's result is out, so that anything published before it has arrived too. */
  const settle = async () => {
    const marker = debitCommand();
    await api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(marker) });
    await waitForResult(o, marker.commandId);
    await new Promise((r) => setTimeout(r, 500));
  };

  it('a maker proposes DEBITED, another operator approves: APPROVED, resolution_source operator, one event with both ids, audited', async () => {
    const command = await unknownDebit(debit, o);
    const claim = debitedClaim('1000', ids());
    const proposed = await proposalOf(await propose(t.maker, command.commandId, claim), 201);
    expect(proposed).toMatchObject({
      commandId: command.commandId,
      state: 'PROPOSED',
      makerId: 'mia.maker',
      checkerId: null,
      total: claim.total,
    });

    const approved = await proposalOf(await decide(t.checker, proposed.proposalId, 'approve', { reason: 'matches the Bixi portal' }), 200);
    expect(approved).toMatchObject({ state: 'APPROVED', checkerId: 'carl.checker', decisionReason: 'matches the Bixi portal' });
    const event = await waitFor(() => resolvedEvents(command.commandId)[0], 20_000, 50);
    expect(event.data).toMatchObject({
      outcome: 'DEBITED',
      amount: command.amount,
      bixiTransactionId: claim.bixiTransactionId,
      referenceId: claim.referenceId,
      issuerTransactionId: '482913',
      charges: { amountMinor: '30', currency: 'USD' },
      total: { amountMinor: '970', currency: 'USD' },
      resolution: { kind: 'operator', makerId: 'mia.maker', checkerId: 'carl.checker', proposalId: proposed.proposalId },
    });
    expect(String((event.data.resolution as { evidence: string }).evidence)).toContain('BX-1042');
    const [row] = await queryOnce(
      db.url,
      `select state, resolution_source, total_minor::text from debit.debit_commands where command_id = $1`,
      [command.commandId],
    );
    expect(row).toEqual({ state: 'APPROVED', resolution_source: 'operator', total_minor: '970' });
    // A decided proposal is final, whoever holds UPDATE on the table.
    for (const change of [`state = 'PROPOSED', checker_id = null, decided_at = null`, `total_minor = 0`, `checker_id = 'someone.else'`]) {
      const sql = `update debit.resolution_proposals set ${change} where proposal_id = $1`;
      await expect(queryOnce(db.url, sql, [proposed.proposalId])).rejects.toMatchObject({ code: '23514' });
    }

    // Replayed by the same checker and by another: the same proposal, nothing booked again.
    expect(await proposalOf(await decide(t.checker, proposed.proposalId, 'approve'), 200)).toEqual(approved);
    expect(await proposalOf(await decide(t.checker2, proposed.proposalId, 'approve', {}), 200)).toEqual(approved);
    expect((await errorOf(await decide(t.checker2, proposed.proposalId, 'reject', { reason: 'too late' }), 409)).message).toMatch(
      /approved/,
    );
    await settle();
    expect(resolvedEvents(command.commandId)).toHaveLength(1);

    const trail = await asOperator(debit, t.viewer, `/v1/operator-actions?subject=proposal:${proposed.proposalId}`);
    const actions = ((await trail.json()) as { items: OperatorActionView[] }).items;
    expect(actions.map((a) => [a.operator, a.action, a.reason])).toEqual([
      ['carl.checker', 'resolution.approve', 'matches the Bixi portal'],
    ]);
    const made = await asOperator(debit, t.checker, `/v1/operator-actions?operator=mia.maker&action=resolution.propose`);
    const proposals = ((await made.json()) as { items: OperatorActionView[] }).items;
    expect(proposals.find((a) => a.subject === `debit:${command.commandId}`)).toMatchObject({
      roles: ['maker'],
      reason: claim.evidence,
      details: { proposalId: proposed.proposalId, outcome: 'DEBITED', bixiTransactionId: claim.bixiTransactionId },
    });
  }, 60_000);

  it('NOT_DEBITED: a rejected proposal books nothing, a new one approved books NOT_DEBITED; a rejected proposal cannot be approved', async () => {
    const command = await unknownDebit(debit, o, '500');
    const first = await proposalOf(
      await propose(t.maker, command.commandId, { outcome: 'NOT_DEBITED', reason: 'guess', evidence: 'none yet' }),
      201,
    );
    expect((await errorOf(await decide(t.checker, first.proposalId, 'reject', {}), 400)).details?.[0]?.field).toBe('reason');
    const rejected = await proposalOf(await decide(t.checker, first.proposalId, 'reject', { reason: 'no evidence' }), 200);
    expect(rejected).toMatchObject({ state: 'REJECTED', checkerId: 'carl.checker', decisionReason: 'no evidence' });
    expect(await proposalOf(await decide(t.checker, first.proposalId, 'reject', { reason: 'again' }), 200)).toEqual(rejected);
    expect((await errorOf(await decide(t.checker2, first.proposalId, 'approve'), 409)).message).toMatch(/rejected/);

    const claim = {
      outcome: 'NOT_DEBITED',
      reason: 'Bixi has no transaction for receipt',
      evidence: 'Bixi statement of the day has no line',
    };
    const second = await proposalOf(await propose(t.both, command.commandId, claim), 201);
    await proposalOf(await decide(t.checker2, second.proposalId, 'approve'), 200);
    const event = await waitFor(() => resolvedEvents(command.commandId)[0], 20_000, 50);
    expect(event.data).toMatchObject({
      outcome: 'NOT_DEBITED',
      reason: expect.stringContaining('Bixi has no transaction'),
      resolution: { kind: 'operator', makerId: 'bo.both', checkerId: 'cleo.checker', proposalId: second.proposalId },
    });
    const stored = (await (await api(debit, `/v1/debits/${command.commandId}`)).json()) as { state: string };
    expect(stored.state).toBe('DECLINED');
    const list = await asOperator(debit, t.viewer, `/v1/resolutions?commandId=${command.commandId}&limit=1`);
    const page = (await list.json()) as { items: { proposalId: string }[]; nextCursor: string };
    expect(page.items.map((p) => p.proposalId)).toEqual([second.proposalId]);
    const next = await asOperator(debit, t.viewer, `/v1/resolutions?commandId=${command.commandId}&cursor=${page.nextCursor}`);
    expect(((await next.json()) as { items: { proposalId: string }[] }).items.map((p) => p.proposalId)).toEqual([first.proposalId]);
  }, 60_000);

  it('nobody decides their own proposal (403, saying why), even holding both roles', async () => {
    const command = await unknownDebit(debit, o);
    const mine = await proposalOf(await propose(t.both, command.commandId, debitedClaim('1000', ids())), 201);
    expect((await errorOf(await decide(t.both, mine.proposalId, 'approve'), 403)).message).toMatch(/bo\.both proposed this resolution/);
    await errorOf(await decide(t.both, mine.proposalId, 'reject', { reason: 'withdrawn by me' }), 403);
    expect(await proposalOf(await asOperator(debit, t.viewer, `/v1/resolutions/${mine.proposalId}`), 200)).toMatchObject({
      state: 'PROPOSED',
    });
    // What the maker proposed cannot be rewritten before a decision either.
    const rewrite = `update debit.resolution_proposals set evidence = 'rewritten' where proposal_id = $1`;
    await expect(queryOnce(db.url, rewrite, [mine.proposalId])).rejects.toMatchObject({ code: '23514' });
    expect(resolvedEvents(command.commandId)).toHaveLength(0);
  }, 60_000);

  it('concurrent approvals by two checkers book once', async () => {
    const command = await unknownDebit(debit, o);
    const p = await proposalOf(await propose(t.maker, command.commandId, debitedClaim('1000', ids())), 201);
    const answers = await Promise.all([decide(t.checker, p.proposalId, 'approve'), decide(t.checker2, p.proposalId, 'approve')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ checkerId: string }>));
    expect(bodies[0]).toEqual(bodies[1]);
    await settle();
    expect(resolvedEvents(command.commandId)).toHaveLength(1);
    expect((resolvedEvents(command.commandId)[0]!.data.resolution as { checkerId: string }).checkerId).toBe(bodies[0]!.checkerId);
  }, 60_000);

  it('a command settled meanwhile (a late answer or statement won): approval is 409 and the proposal REJECTED with the reason', async () => {
    const command = await unknownDebit(debit, o);
    const p = await proposalOf(await propose(t.maker, command.commandId, debitedClaim('1000', ids())), 201);
    const outcome = { state: 'DECLINED' as const, reason: 'statement says declined' };
    const source = { kind: 'statement' as const, statementId: 'st-1', lineKey: 'l-1', evidence: 'declined on the statement' };
    const subject = { ...command, correlationId: `corr-${command.commandId}` };
    expect(await resolveUnknown(dataSource, command.commandId, 'statement', outcome, resolutionFor(subject, outcome, source))).toBe(true);
    expect((await errorOf(await decide(t.checker, p.proposalId, 'approve'), 409)).message).toMatch(/no longer UNKNOWN \(now DECLINED\)/);
    expect(await proposalOf(await asOperator(debit, t.viewer, `/v1/resolutions/${p.proposalId}`), 200)).toMatchObject({
      state: 'REJECTED',
      checkerId: 'carl.checker',
      decisionReason: expect.stringContaining('no longer UNKNOWN'),
    });
    const [row] = await queryOnce(db.url, `select resolution_source from debit.debit_commands where command_id = $1`, [command.commandId]);
    expect(row).toEqual({ resolution_source: 'statement' });
  }, 60_000);

  it('refuses proposals on unknown or settled debits, a second open proposal, and money that does not add up', async () => {
    await errorOf(await propose(t.maker, randomUUID(), debitedClaim('1000', ids())), 404);
    const approved = debitCommand();
    await api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(approved) });
    expect((await waitForResult(o, approved.commandId)).type).toBe('mm.debit.approved.v1');
    expect((await errorOf(await propose(t.maker, approved.commandId, debitedClaim('100', ids())), 409)).message).toMatch(
      /APPROVED, not UNKNOWN/,
    );

    const command = await unknownDebit(debit, o);
    const off = debitedClaim('1000', ids());
    await errorOf(await propose(t.maker, command.commandId, { ...off, total: { amountMinor: '971', currency: 'USD' } }), 400);
    await errorOf(await propose(t.maker, command.commandId, { ...off, total: { amountMinor: '970', currency: 'KES' } }), 400);
    await errorOf(
      await propose(t.maker, command.commandId, {
        ...off,
        charges: { amountMinor: '-30', currency: 'USD' },
        total: { amountMinor: '1030', currency: 'USD' },
      }),
      400,
    );
    await proposalOf(await propose(t.maker, command.commandId, off), 201);
    const twice = await Promise.all([propose(t.both, command.commandId, off), propose(t.maker, command.commandId, off)]);
    expect(twice.map((r) => r.status)).toEqual([409, 409]);
    const open = await asOperator(debit, t.viewer, `/v1/resolutions?state=PROPOSED&commandId=${command.commandId}`);
    expect(((await open.json()) as { items: unknown[] }).items).toHaveLength(1);
  }, 60_000);
});
