import { migrationCliMain } from '@mm/platform';
import { ledgerDataSourceOptions } from '../data-source';

/**
 * `node dist/cli/migrate.js` (the deployment's migration job): runs the pending migrations of the ledger schema
 * under the migration lock with DATABASE_MIGRATION_URL (or DATABASE_URL), then grants the runtime role.
 */
migrationCliMain({ defaultSchema: 'ledger', dataSourceOptions: ledgerDataSourceOptions });
