import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signOperatorToken } from '@mm/platform/operator-token';
import type { Command } from 'commander';

const ROLES = ['viewer', 'maker', 'checker'] as const;
type Role = (typeof ROLES)[number];

interface TokenOptions {
  sub: string;
  role: Role[];
  ttl: string;
  key: string;
}

const DEV_KEY = resolve(__dirname, '../../../../config/dev-operator-key.json');

export function registerOperator(program: Command): void {
  const operator = program.command('operator').description("operators' bearer tokens (JWT, roles viewer/maker/checker)");
  operator
    .command('token')
    .description('mint an operator token; by default with the development key, which production services refuse')
    .requiredOption('--sub <id>', 'the operator, e.g. alice')
    .requiredOption('--role <role>', `a role (${ROLES.join(', ')}); repeat for several`, collectRole, [])
    .option('--ttl <seconds>', 'lifetime in seconds', '3600')
    .option('--key <file>', 'a JSON file with {"privateJwk": …, "issuer"?, "audience"?}', process.env.MM_OPERATOR_SIGNING_KEY ?? DEV_KEY)
    .action(async (o: TokenOptions) => {
      const ttlSeconds = Number(o.ttl);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400) throw new Error('--ttl must be 1–86400 seconds');
      process.stdout.write(`${await mintOperatorToken({ sub: o.sub, roles: o.role, ttlSeconds, keyFile: o.key })}\n`);
    });
}

/** An operator token signed with a key file (by default the development key, which production services refuse). */
export async function mintOperatorToken(o: { sub: string; roles: Role[]; ttlSeconds: number; keyFile?: string }): Promise<string> {
  const file = JSON.parse(readFileSync(o.keyFile ?? process.env.MM_OPERATOR_SIGNING_KEY ?? DEV_KEY, 'utf8')) as {
    privateJwk: Parameters<typeof signOperatorToken>[0];
    issuer?: string;
    audience?: string;
  };
  return signOperatorToken(file.privateJwk, {
    sub: o.sub,
    roles: o.roles,
    ttlSeconds: o.ttlSeconds,
    issuer: file.issuer,
    audience: file.audience,
  });
}

function collectRole(value: string, previous: Role[]): Role[] {
  if (!ROLES.includes(value as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return [...previous, value as Role];
}
