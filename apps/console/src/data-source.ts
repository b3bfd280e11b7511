import { serviceDataSourceOptions, type ServiceDatabaseConfig, OPERATOR_ACTIONS_RUNTIME_GRANTS, type RuntimeGrants } from '@mm/platform';
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

/** The one data source definition, shared by the Nest module, the seed CLI and the TypeORM migration CLI. */
export function consoleDataSourceOptions(config: ServiceDatabaseConfig, migrationsRun = false) {
  return serviceDataSourceOptions(
    config,
    { migrations: CONSOLE_MIGRATIONS, grants: CONSOLE_RUNTIME_GRANTS, applicationName: 'console' },
    migrationsRun,
  );
}

/** Used by `typeorm migration:run -d dist/data-source.js`: migrations run as the owner role when one is configured. */
export default new DataSource(
  consoleDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_console',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'console',
    DATABASE_POOL_SIZE: 2,
  }),
);
