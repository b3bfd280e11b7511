import { randomUUID } from 'node:crypto';
import { ApiErrorSchema } from '@mm/contracts';
import { cutOffDatabase, queryOnce, waitFor } from '@mm/testing';
import { asOperator, debitedClaim, startResolutionRig, unknownDebit, type ResolutionRig } from './resolution-harness';
import { jsonl, postStatement, statementLine } from './statement-support';

/**
 * The operators' money paths with payment-debit's database out of reach: every call is refused with 503, the shared
 * error body and Retry-After, nothing is half-stored, and the same calls succeed exactly once when it is back.
 */
describe('payment-debit operator actions with PostgreSQL down', () => {
  let rig: ResolutionRig;
  let reconnect: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    rig = await startResolutionRig('debit_operator_pgdown');
  });
  afterAll(async () => {
    await reconnect?.().catch(() => undefined);
    await rig?.stop();
  });

  const expectUnavailable = async (res: Response) => {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(ApiErrorSchema.strict().parse(await res.json())).toEqual({
      statusCode: 503,
      error: 'SERVICE_UNAVAILABLE',
      message: 'storage unavailable; retry later',
    });
  };

  it('refuses statement imports, proposals, decisions and reads with 503, then takes the retries once each', async () => {
    const { debit, t, db } = rig;
    const command = await unknownDebit(debit, rig.o);
    const claim = debitedClaim('1000', { bixiTransactionId: randomUUID(), referenceId: randomUUID(), issuerTransactionId: '771204' });
    const statement = jsonl([statementLine({ receiptId: 'NOMATCH01', issuerTransactionId: '900001' })]);

    reconnect = await cutOffDatabase(db.name);
    const imported = await postStatement(debit, statement, 'application/x-ndjson', t.maker);
    expect(imported).toMatchObject({ status: 503, body: { error: 'SERVICE_UNAVAILABLE', message: 'storage unavailable; retry later' } });
    await expectUnavailable(await rig.propose(t.maker, command.commandId, claim));
    await expectUnavailable(await rig.decide(t.checker, randomUUID(), 'approve', { reason: 'looks right' }));
    await expectUnavailable(await asOperator(debit, t.viewer, '/v1/resolutions?state=PROPOSED'));
    await expectUnavailable(await asOperator(debit, t.viewer, '/v1/breaks'));
    expect((await fetch(`${debit.url}/health/ready`)).status).toBe(503);

    await reconnect();
    await waitFor(async () => ((await fetch(`${debit.url}/health/ready`)).status === 200 ? true : undefined), 20_000, 250);
    const retried = await postStatement(debit, statement, 'application/x-ndjson', t.maker);
    expect(retried.status).toBe(200);
    expect(retried.replayed).toBeNull();
    const proposed = await rig.propose(t.maker, command.commandId, claim);
    expect(proposed.status).toBe(201);

    const [counts] = await queryOnce<{ statements: number; lines: number; proposals: number; actions: number }>(
      db.url,
      `select (select count(*)::int from debit.statements) as statements,
              (select count(*)::int from debit.statement_lines) as lines,
              (select count(*)::int from debit.resolution_proposals where command_id = $1) as proposals,
              (select count(*)::int from debit.operator_actions) as actions`,
      [command.commandId],
    );
    // One import and one proposal, each audited once: the refused attempts left nothing behind.
    expect(counts).toEqual({ statements: 1, lines: 1, proposals: 1, actions: 2 });
  });
});
