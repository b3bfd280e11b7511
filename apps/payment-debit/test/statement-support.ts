import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signOperatorToken } from '@mm/platform/operator-token';
import type { RunningService } from '@mm/testing';

const devKey = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'dev-operator-key.json'), 'utf8')) as {
  privateJwk: Parameters<typeof signOperatorToken>[0];
};

export type Role = 'viewer' | 'maker' | 'checker';
export const operatorToken = (sub: string, roles: Role[], ttlSeconds = 600) =>
  signOperatorToken(devKey.privateJwk, { sub, roles, ttlSeconds });

/** POSTs a statement as an operator would (`null` token: none at all). */
export async function postStatement(service: RunningService, body: string | Buffer, type: string, token: string | null, query = '') {
  const res = await fetch(`${service.url}/v1/statements/bixi${query}`, {
    method: 'POST',
    headers: { 'Content-Type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Record<string, unknown> };
}

export const operatorGet = (service: RunningService, path: string, token: string) =>
  fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

/** One statement line in the seed's attributes (amounts as decimal text), for a JSON-lines statement. */
export const statementLine = (overrides: Record<string, string> = {}) => ({
  id: randomUUID(),
  receiptId: 'R1',
  referenceId: randomUUID(),
  accountNumber: '252611000001',
  accountType: 'mmt',
  issuer: 'hormuud',
  status: 'approved',
  currency: 'USD',
  issuerTransactionId: '536117',
  amount: '5',
  charges: '0.15',
  total: '4.85',
  created: new Date().toISOString().replace('Z', '000Z'),
  ...overrides,
});

export const jsonl = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
