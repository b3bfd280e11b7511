import { z } from 'zod';
import { env, loadConfig } from './config';
import type { ServiceDatabaseConfig, ServiceDataSourceOptions } from './database';
import { databaseRoleConfig, migrateDatabase, SQL_IDENTIFIER } from './database-migration';

/** The variables a migration run reads: the service's database ones, nothing about Kafka or HTTP. */
export function migrationConfigSchema(defaultSchema: string) {
  return z.object({
    DATABASE_URL: env.databaseUrl(),
    ...databaseRoleConfig,
    DATABASE_SCHEMA: z.string().regex(SQL_IDENTIFIER).default(defaultSchema),
  });
}

export interface MigrationCli {
  /** The schema the service uses when DATABASE_SCHEMA is unset. */
  defaultSchema: string;
  /** The service's data source (its `*DataSourceOptions`), which carries its migrations and runtime grants. */
  dataSourceOptions: (config: ServiceDatabaseConfig, migrationsRun: boolean) => ServiceDataSourceOptions;
}

/**
 * `node dist/cli/migrate.js`: runs the service's pending migrations under the migration lock (so it is safe beside
 * replicas that migrate at start, and beside a second job), grants the runtime role, and says what it ran.
 * Resolves to the exit code: 0 migrated or nothing pending, 1 a migration failed, 2 the configuration is invalid.
 */
export async function runMigrationCli(cli: MigrationCli, source: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: z.infer<ReturnType<typeof migrationConfigSchema>>;
  try {
    config = loadConfig(migrationConfigSchema(cli.defaultSchema), source);
  } catch (error) {
    process.stderr.write(`migrate: ${(error as Error).message}\n`);
    return 2;
  }
  const { roles, ...options } = cli.dataSourceOptions({ ...config, DATABASE_POOL_SIZE: 1 }, true);
  if (options.type !== 'postgres') throw new Error('migrate: the service data source is not PostgreSQL');
  try {
    const ran = await migrateDatabase({ ...options, url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }, roles);
    const summary = ran.length === 0 ? 'nothing pending' : `ran ${ran.join(', ')}`;
    process.stdout.write(
      `${JSON.stringify({ msg: `migrate ${config.DATABASE_SCHEMA}: ${summary}`, schema: config.DATABASE_SCHEMA, ran })}\n`,
    );
    return 0;
  } catch (error) {
    // Driver messages name tables and constraints, never the URLs' passwords.
    process.stderr.write(`migrate ${config.DATABASE_SCHEMA} failed: ${(error as Error).message}\n`);
    return 1;
  }
}

/** The body of each service's `src/cli/migrate.ts`: runs the migration and exits with its code. */
export function migrationCliMain(cli: MigrationCli): void {
  runMigrationCli(cli).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`migrate failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
