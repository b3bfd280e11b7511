import { dataSourceOptions } from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateLedger1763870400000 } from './migrations/1763870400000-CreateLedger';
import { AddReadIndexes1763956800000 } from './migrations/1763956800000-AddReadIndexes';
import { StatementLevelBalanceCheck1763960400000 } from './migrations/1763960400000-StatementLevelBalanceCheck';

export const LEDGER_MIGRATIONS = [CreateLedger1763870400000, AddReadIndexes1763956800000, StatementLevelBalanceCheck1763960400000];

/** The one data source definition, shared by the Nest module and the TypeORM migration CLI. */
export function ledgerDataSourceOptions(config: { DATABASE_URL: string; DATABASE_SCHEMA: string; DATABASE_POOL_SIZE: number }, migrationsRun = false) {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [],
    migrations: LEDGER_MIGRATIONS,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsRun,
    applicationName: 'ledger',
  });
}

/** Used by `typeorm migration:run -d dist/data-source.js`. */
export default new DataSource(
  ledgerDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_ledger',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'ledger',
    DATABASE_POOL_SIZE: 2,
  }),
);
