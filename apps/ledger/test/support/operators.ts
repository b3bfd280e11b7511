import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperatorRole } from '@mm/platform';
import { signOperatorToken } from '@mm/platform/operator-token';

type Jwk = Parameters<typeof signOperatorToken>[0];
const devKey = JSON.parse(readFileSync(join(__dirname, '../../../../config/dev-operator-key.json'), 'utf8')) as { privateJwk: Jwk };

/** A development operator token (the key every service trusts outside production). */
export const operatorToken = (sub: string, roles: OperatorRole[], ttlSeconds?: number) =>
  signOperatorToken(devKey.privateJwk, { sub, roles, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });

/** A token with the development key's id but signed by another key: a forgery. */
export async function forgedToken(sub: string, roles: OperatorRole[]): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as Jwk), kid: devKey.privateJwk.kid, alg: 'EdDSA' };
  return signOperatorToken(jwk, { sub, roles });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** Calls the ledger's API as an operator: the status and the JSON body. */
export function operatorClient(baseUrl: () => string) {
  return async (method: string, path: string, token?: string, body?: unknown, raw?: string): Promise<{ status: number; body: Json }> => {
    const headers: Record<string, string> = token ? bearer(token) : {};
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
}
