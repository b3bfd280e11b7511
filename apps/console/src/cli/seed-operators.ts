import { databaseRoleConfig, env, initialiseDataSource, loadConfig, type OperatorRole } from '@mm/platform';
import { z } from 'zod';
import { consoleDataSourceOptions } from '../data-source';
import { hashPassword, randomPassword } from '../sign-in/password';

/** The development operators: one per role, so maker-checker can be tried by two people on one machine. */
export const DEV_OPERATORS: { username: string; roles: OperatorRole[] }[] = [
  { username: 'alice', roles: ['maker'] },
  { username: 'bob', roles: ['checker'] },
  { username: 'victor', roles: ['viewer'] },
];

const SeedConfig = z.object({
  NODE_ENV: env.nodeEnv(),
  DATABASE_URL: env.databaseUrl(),
  ...databaseRoleConfig,
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('console'),
});

/**
 * `npm run seed-operators -w @mm/console` (run by `npm start`): migrates the console's schema and creates the development
 * operators that do not exist yet, each with a random password printed once on stdout (one JSON line each); an
 * operator that already exists keeps its password, which is never printed again. Refused under NODE_ENV=production.
 */
export async function seedOperators(
  source: NodeJS.ProcessEnv = process.env,
): Promise<{ username: string; roles: OperatorRole[]; password?: string }[]> {
  const config = loadConfig(SeedConfig, source);
  if (config.NODE_ENV === 'production') throw new Error('development operators are never created under NODE_ENV=production');
  // The owner creates accounts: the serving role may only read them.
  const url = config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL;
  const dataSource = await initialiseDataSource(consoleDataSourceOptions({ ...config, DATABASE_URL: url, DATABASE_POOL_SIZE: 1 }, true));
  try {
    const seeded = [];
    for (const op of DEV_OPERATORS) {
      const password = randomPassword();
      const created: unknown[] = await dataSource.query(
        `insert into operators (username, roles, password_hash) values ($1, $2, $3) on conflict (username) do nothing returning username`,
        [op.username, op.roles, await hashPassword(password)],
      );
      seeded.push(created.length > 0 ? { ...op, password } : op);
    }
    return seeded;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  seedOperators().then(
    (seeded) => {
      for (const op of seeded)
        process.stdout.write(`${JSON.stringify({ operator: op.username, roles: op.roles, password: op.password ?? null })}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'seeding operators failed', error: (error as Error).message })}\n`);
      process.exit(1);
    },
  );
}
