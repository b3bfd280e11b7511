import {
  serviceDataSourceOptions,
  type ServiceDatabaseConfig,
  OPERATOR_ACTIONS_RUNTIME_GRANTS,
  DEAD_LETTERS_RUNTIME_GRANTS,
  type RuntimeGrants,
} from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateLedger1763870400000 } from './migrations/1763870400000-CreateLedger';
import { AddReadIndexes1763956800000 } from './migrations/1763956800000-AddReadIndexes';
import { StatementLevelBalanceCheck1763960400000 } from './migrations/1763960400000-StatementLevelBalanceCheck';
import { CreateOperatorActions1796500000000 } from './migrations/1796500000000-CreateOperatorActions';
import { CreateCorrections1796600000000 } from './migrations/1796600000000-CreateCorrections';
import { CreateProviderStatements1796700000000 } from './migrations/1796700000000-CreateProviderStatements';
import { AddSearchColumns1796800000000 } from './migrations/1796800000000-AddSearchColumns';
import { CreateDeadLetters1796850000000 } from './migrations/1796850000000-CreateDeadLetters';

export const LEDGER_MIGRATIONS = [
  CreateLedger1763870400000,
  AddReadIndexes1763956800000,
  StatementLevelBalanceCheck1763960400000,
  CreateOperatorActions1796500000000,
  CreateCorrections1796600000000,
  CreateProviderStatements1796700000000,
  AddSearchColumns1796800000000,
  CreateDeadLetters1796850000000,
];

/**
 * The ledger only ever reads and appends: UPDATE, DELETE and TRUNCATE are refused by privilege before any trigger.
 * Dead letters are marked replayed (one UPDATE of their state).
 * Correction proposals are decided by one UPDATE (never deleted); outbox rows are marked sent and purged after retention.
 */
export const LEDGER_RUNTIME_GRANTS: RuntimeGrants = {
  events: ['select', 'insert'],
  accounts: ['select', 'insert'],
  journal_entries: ['select', 'insert'],
  postings: ['select', 'insert'],
  correction_proposals: ['select', 'insert', 'update'],
  outbox: ['select', 'insert', 'update', 'delete'],
  ...OPERATOR_ACTIONS_RUNTIME_GRANTS,
  ...DEAD_LETTERS_RUNTIME_GRANTS,
  // Statements, their lines and breaks are appended, never changed: closing a break appends its closure.
  provider_statements: ['select', 'insert'],
  provider_statement_lines: ['select', 'insert'],
  provider_breaks: ['select', 'insert'],
  provider_break_closures: ['select', 'insert'],
};

/** The one data source definition, shared by the Nest module and the TypeORM migration CLI. */
export function ledgerDataSourceOptions(config: ServiceDatabaseConfig, migrationsRun = false) {
  return serviceDataSourceOptions(
    config,
    { migrations: LEDGER_MIGRATIONS, grants: LEDGER_RUNTIME_GRANTS, applicationName: 'ledger' },
    migrationsRun,
  );
}

/** The NOTIFY channel of the ledger's outbox in its database (OutboxModule's `channel`). */
export const LEDGER_OUTBOX_CHANNEL = 'mm_ledger_outbox';

/** Used by `typeorm migration:run -d dist/data-source.js`: migrations run as the owner role when one is configured. */
export default new DataSource(
  ledgerDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_ledger',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'ledger',
    DATABASE_POOL_SIZE: 2,
  }),
);
