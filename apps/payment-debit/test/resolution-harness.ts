import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiErrorSchema, type ResolutionProposal } from '@mm/contracts';
import { signOperatorToken, type OperatorTokenRequest } from '@mm/platform/operator-token';
import { createTestDatabase, type RunningService, type TestDatabase } from '@mm/testing';
import { api, debitCommand, observe, startDebit, startSandbox, waitForResult, type Observed } from './debit-harness';

type Jwk = Parameters<typeof signOperatorToken>[0];
const devKey = (JSON.parse(readFileSync(join(__dirname, '../../../config/dev-operator-key.json'), 'utf8')) as { privateJwk: Jwk })
  .privateJwk;

/** A token signed with the development key, which payment-debit trusts by default. */
export const operatorToken = (sub: string, roles: OperatorTokenRequest['roles'], extra: Partial<OperatorTokenRequest> = {}) =>
  signOperatorToken(devKey, { sub, roles, ...extra });

/** A token signed by another Ed25519 key that claims the development key's id. */
export function forgedToken(sub: string, roles: OperatorTokenRequest['roles']): Promise<string> {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return signOperatorToken({ ...jwk, alg: 'EdDSA', kid: devKey.kid } as Jwk, { sub, roles });
}

/** The sandbox's account that drops the connection after reading the request: the debit ends UNKNOWN. */
export const DROP_ACCOUNT = '252600000007';

/** A debit submitted over HTTP whose Bixi call loses its answer; resolves once payment-debit reported it UNKNOWN. */
export async function unknownDebit(debit: RunningService, o: Observed, amountMinor = '1000') {
  const command = debitCommand({ accountNumber: DROP_ACCOUNT, amount: { amountMinor, currency: 'USD' } });
  expect((await api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(command) })).status).toBe(202);
  expect((await waitForResult(o, command.commandId)).type).toBe('mm.debit.outcome-unknown.v1');
  return command;
}

/** An operator's request: JSON body (a string is sent as it is), bearer token when given. */
export function asOperator(
  service: RunningService,
  token: string | undefined,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) {
  return fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** A DEBITED claim that adds up for `amountMinor` (3 % charges, as the sandbox takes). */
export function debitedClaim(amountMinor: string, ids: { bixiTransactionId: string; referenceId: string; issuerTransactionId: string }) {
  const charges = (BigInt(amountMinor) * 3n) / 100n;
  return {
    outcome: 'DEBITED' as const,
    ...ids,
    issuer: 'hormuud',
    charges: { amountMinor: charges.toString(), currency: 'USD' },
    total: { amountMinor: (BigInt(amountMinor) - charges).toString(), currency: 'USD' },
    evidence: 'Bixi support confirmed the transaction by phone; ticket BX-1042',
  };
}

export const proposalOf = async (res: Response, status: number): Promise<ResolutionProposal> => {
  const body = (await res.json()) as ResolutionProposal;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
  return body;
};

export const errorOf = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  return ApiErrorSchema.strict().parse(await res.json());
};

type Tokens = Record<'maker' | 'checker' | 'checker2' | 'viewer' | 'both', string>;

/** payment-debit on its own database with the sandbox, a result observer and one token per kind of operator. */
export interface ResolutionRig {
  db: TestDatabase;
  debit: RunningService;
  o: Observed;
  t: Tokens;
  propose(token: string | undefined, commandId: string, body: unknown): Promise<Response>;
  decide(token: string | undefined, proposalId: string, verb: 'approve' | 'reject', body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startResolutionRig(name: string): Promise<ResolutionRig> {
  const db = await createTestDatabase(name);
  const sandbox = await startSandbox();
  const [debit, o] = await Promise.all([startDebit(db.url, sandbox.url), observe()]);
  const t: Tokens = {
    maker: await operatorToken('mia.maker', ['maker']),
    checker: await operatorToken('carl.checker', ['checker']),
    checker2: await operatorToken('cleo.checker', ['checker']),
    viewer: await operatorToken('vic.viewer', ['viewer']),
    both: await operatorToken('bo.both', ['maker', 'checker']),
  };
  return {
    db,
    debit,
    o,
    t,
    propose: (token, commandId, body) => asOperator(debit, token, `/v1/debits/${commandId}/resolutions`, body),
    decide: (token, proposalId, verb, body = {}) => asOperator(debit, token, `/v1/resolutions/${proposalId}/${verb}`, body),
    async stop() {
      await o.close();
      await Promise.allSettled([debit.stop(), sandbox.stop()]);
      await db.drop();
    },
  };
}
