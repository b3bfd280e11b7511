import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signOperatorToken } from '@mm/platform/operator-token';
import type { OperatorRole } from '@mm/platform';

type Jwk = Parameters<typeof signOperatorToken>[0];
const devKey = JSON.parse(readFileSync(join(__dirname, '../../../../config/dev-operator-key.json'), 'utf8')) as { privateJwk: Jwk };

/** A development operator token (the key in config/dev-operator-key.json, which the ledger trusts outside production). */
export const operatorToken = (sub: string, roles: OperatorRole[], key: Jwk = devKey.privateJwk): Promise<string> =>
  signOperatorToken(key, { sub, roles });

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** Calls the ledger's API as an operator: the status and the JSON body. */
export function operatorClient(baseUrl: () => string) {
  return async (method: string, path: string, token?: string, body?: unknown, raw?: string): Promise<{ status: number; body: Json }> => {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
}
