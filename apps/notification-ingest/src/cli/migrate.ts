import { migrationCliMain } from '@mm/platform';
import { ingestDataSourceOptions } from '../data-source';

/**
 * `node dist/cli/migrate.js` (the deployment's migration job): runs the pending migrations of the ingest schema
 * under the migration lock with DATABASE_MIGRATION_URL (or DATABASE_URL), then grants the runtime role.
 */
migrationCliMain({ defaultSchema: 'ingest', dataSourceOptions: ingestDataSourceOptions });
