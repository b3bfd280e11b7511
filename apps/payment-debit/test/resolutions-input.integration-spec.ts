import { randomUUID } from 'node:crypto';
import { queryOnce } from '@mm/testing';
import { api } from './debit-harness';
import {
  asOperator,
  debitedClaim,
  errorOf,
  forgedToken,
  operatorToken,
  startResolutionRig,
  unknownDebit,
  type ResolutionRig,
} from './resolution-harness';

const ids = () => ({ bixiTransactionId: randomUUID(), referenceId: randomUUID(), issuerTransactionId: '482913' });

/** The resolution routes under hostile input: tokens that must not pass, wrong roles, malformed and oversized bodies. */
describe('payment-debit resolutions: hostile input', () => {
  let rig: ResolutionRig;
  beforeAll(async () => {
    rig = await startResolutionRig('debit_resolutions_input');
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('refuses hostile and malformed input: tokens, roles, bodies, parameters', async () => {
    const { debit, o, t, db, propose, decide } = rig;
    const command = await unknownDebit(debit, o);
    const claim = debitedClaim('1000', ids());
    const path = `/v1/debits/${command.commandId}/resolutions`;
    await errorOf(await propose(undefined, command.commandId, claim), 401);
    await errorOf(await asOperator(debit, 'not.a.jwt', path, claim), 401);
    await errorOf(await propose(await operatorToken('mia.maker', ['maker'], { ttlSeconds: -60 }), command.commandId, claim), 401);
    await errorOf(await propose(await forgedToken('mallory', ['maker', 'checker']), command.commandId, claim), 401);
    await errorOf(await propose(await operatorToken('mia.maker', ['maker'], { audience: 'ledger' }), command.commandId, claim), 401);
    await errorOf(await propose(t.viewer, command.commandId, claim), 403);
    await errorOf(await propose(t.checker, command.commandId, claim), 403);
    await errorOf(await api(debit, path, { method: 'POST', body: JSON.stringify(claim) }), 401); // the service API key is no operator
    await errorOf(await asOperator(debit, undefined, '/v1/resolutions'), 401);
    await errorOf(await asOperator(debit, undefined, '/v1/operator-actions'), 401);

    const bad: [unknown, string][] = [
      ['{"outcome":', 'body'],
      [{ ...claim, extra: 1 }, 'extra'],
      [{ ...claim, outcome: 'MAYBE' }, 'outcome'],
      [{ ...claim, bixiTransactionId: undefined }, 'bixiTransactionId'],
      [{ ...claim, evidence: 'x'.repeat(2049) }, 'evidence'],
      [{ ...claim, referenceId: 'a\u0000b' }, 'referenceId'],
      [{ ...claim, total: { amountMinor: 970, currency: 'USD' } }, 'total'],
      [{ ...claim, charges: { amountMinor: '0.3', currency: 'USD' } }, 'charges'],
      [{ outcome: 'NOT_DEBITED', evidence: 'no reason given' }, 'reason'],
      [[claim], 'body'],
    ];
    for (const [body, field] of bad) {
      const error = await errorOf(await propose(t.maker, command.commandId, body), 400);
      expect(`${error.message} ${JSON.stringify(error.details ?? [])}`.toLowerCase()).toContain(field.toLowerCase());
    }
    await errorOf(await propose(t.maker, command.commandId, { ...claim, evidence: 'x'.repeat(20_000) }), 413);
    await errorOf(await propose(t.maker, 'not-a-uuid', claim), 400);
    await errorOf(await decide(t.checker, 'not-a-uuid', 'approve'), 400);
    await errorOf(await decide(t.checker, randomUUID(), 'approve'), 404);
    await errorOf(await decide(t.checker, randomUUID(), 'approve', { reason: 'ok', sneaky: true }), 400);
    await errorOf(await asOperator(debit, t.viewer, '/v1/resolutions?state=DONE'), 400);
    await errorOf(await asOperator(debit, t.viewer, '/v1/resolutions?cursor=forged'), 400);
    await errorOf(await asOperator(debit, t.viewer, '/v1/operator-actions?limit=100000'), 400);
    await errorOf(await asOperator(debit, t.viewer, `/v1/operator-actions?operator=${encodeURIComponent("' or 1=1 --")}`), 400);
    expect((await asOperator(debit, t.viewer, `/v1/resolutions/${randomUUID()}`)).status).toBe(404);
    const rows = await queryOnce(db.url, `select count(*)::int as n from debit.resolution_proposals where command_id = $1`, [
      command.commandId,
    ]);
    expect(rows).toEqual([{ n: 0 }]);
  }, 60_000);

  it('documents the routes with the operator bearer scheme', async () => {
    const { debit } = rig;
    const doc = (await (await fetch(`${debit.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.components.securitySchemes.operator).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const [path, method] of [
      ['/v1/debits/{commandId}/resolutions', 'post'],
      ['/v1/resolutions/{proposalId}/approve', 'post'],
      ['/v1/resolutions/{proposalId}/reject', 'post'],
      ['/v1/resolutions', 'get'],
      ['/v1/resolutions/{proposalId}', 'get'],
      ['/v1/operator-actions', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.security).toEqual([{ operator: [] }]);
    }
  });
});
