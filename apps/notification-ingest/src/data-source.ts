import { dataSourceOptions } from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateNotifications1763870400000 } from './migrations/1763870400000-CreateNotifications';
import { AddOutboxSentIndex1763960100000 } from './migrations/1763960100000-AddOutboxSentIndex';
import { ScopeMessageIdToCustomer1796220000000 } from './migrations/1796220000000-ScopeMessageIdToCustomer';

export const INGEST_MIGRATIONS = [CreateNotifications1763870400000, AddOutboxSentIndex1763960100000, ScopeMessageIdToCustomer1796220000000];

/** The one data source definition, shared by the Nest module and the TypeORM migration CLI. */
export function ingestDataSourceOptions(config: { DATABASE_URL: string; DATABASE_SCHEMA: string; DATABASE_POOL_SIZE: number }, migrationsRun = false) {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [],
    migrations: INGEST_MIGRATIONS,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsRun,
    applicationName: 'notification-ingest',
  });
}

/** Used by `typeorm migration:run -d dist/data-source.js`. */
export default new DataSource(
  ingestDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_ingest',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'ingest',
    DATABASE_POOL_SIZE: 2,
  }),
);
