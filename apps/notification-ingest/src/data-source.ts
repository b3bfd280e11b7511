import { serviceDataSourceOptions, type ServiceDatabaseConfig, type RuntimeGrants } from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateNotifications1763870400000 } from './migrations/1763870400000-CreateNotifications';
import { AddOutboxSentIndex1763960100000 } from './migrations/1763960100000-AddOutboxSentIndex';
import { ScopeMessageIdToCustomer1796220000000 } from './migrations/1796220000000-ScopeMessageIdToCustomer';

export const INGEST_MIGRATIONS = [CreateNotifications1763870400000, AddOutboxSentIndex1763960100000, ScopeMessageIdToCustomer1796220000000];

/** Notifications are append-only; outbox rows are marked sent (UPDATE) and purged after retention (DELETE). */
export const INGEST_RUNTIME_GRANTS: RuntimeGrants = {
  notifications: ['select', 'insert'],
  outbox: ['select', 'insert', 'update', 'delete'],
};

/** The one data source definition, shared by the Nest module and the TypeORM migration CLI. */
export function ingestDataSourceOptions(config: ServiceDatabaseConfig, migrationsRun = false) {
  return serviceDataSourceOptions(
    config,
    { migrations: INGEST_MIGRATIONS, grants: INGEST_RUNTIME_GRANTS, applicationName: 'notification-ingest' },
    migrationsRun,
  );
}

/** Used by `typeorm migration:run -d dist/data-source.js`: migrations run as the owner role when one is configured. */
export default new DataSource(
  ingestDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_ingest',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'ingest',
    DATABASE_POOL_SIZE: 2,
  }),
);
