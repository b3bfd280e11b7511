import { dataSourceOptions, OPERATOR_ACTIONS_RUNTIME_GRANTS, type RuntimeGrants } from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateConsole1797000000000 } from './migrations/1797000000000-CreateConsole';

export const CONSOLE_MIGRATIONS = [CreateConsole1797000000000];

/**
 * Least privilege: operators are created by the owner (the seed step), never by the serving process; sessions and
 * failed sign-ins are written and purged; the audit trail is append-only.
 */
export const CONSOLE_RUNTIME_GRANTS: RuntimeGrants = {
  operators: ['select'],
  sessions: ['select', 'insert', 'delete'],
  login_failures: ['select', 'insert', 'delete'],
  ...OPERATOR_ACTIONS_RUNTIME_GRANTS,
};

type DatabaseConfig = {
  DATABASE_URL: string;
  DATABASE_MIGRATION_URL?: string;
  DATABASE_RUNTIME_ROLE?: string;
  DATABASE_SCHEMA: string;
  DATABASE_POOL_SIZE: number;
};

/** The one data source definition, shared by the Nest module, the seed CLI and the TypeORM migration CLI. */
export function consoleDataSourceOptions(config: DatabaseConfig, migrationsRun = false) {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [],
    migrations: CONSOLE_MIGRATIONS,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsRun,
    roles: { migrationUrl: config.DATABASE_MIGRATION_URL, runtimeRole: config.DATABASE_RUNTIME_ROLE, grants: CONSOLE_RUNTIME_GRANTS },
    applicationName: 'console',
  });
}

/** Used by `typeorm migration:run -d dist/data-source.js`: migrations run as the owner role when one is configured. */
export default new DataSource(
  consoleDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_console',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'console',
    DATABASE_POOL_SIZE: 2,
  }),
);
