import {
  serviceDataSourceOptions,
  type ServiceDatabaseConfig,
  OPERATOR_ACTIONS_RUNTIME_GRANTS,
  DEAD_LETTERS_RUNTIME_GRANTS,
  type RuntimeGrants,
} from '@mm/platform';
import { DataSource } from 'typeorm';
import { CreateDebitCommands1763960000000 } from './migrations/1763960000000-CreateDebitCommands';
import { DebitDeadlinesAndResolutions1796223000000 } from './migrations/1796223000000-DebitDeadlinesAndResolutions';
import { AddOutboxSentIndex1796400000000 } from './migrations/1796400000000-AddOutboxSentIndex';
import { CreateOperatorActions1796500000000 } from './migrations/1796500000000-CreateOperatorActions';
import { CreateResolutionProposals1796600000000 } from './migrations/1796600000000-CreateResolutionProposals';
import { AddDebitRequester1796650000000 } from './migrations/1796650000000-AddDebitRequester';
import { CreateStatements1796700000000 } from './migrations/1796700000000-CreateStatements';
import { CreateDeadLetters1796850000000 } from './migrations/1796850000000-CreateDeadLetters';

export const DEBIT_MIGRATIONS = [
  CreateDebitCommands1763960000000,
  DebitDeadlinesAndResolutions1796223000000,
  AddOutboxSentIndex1796400000000,
  CreateOperatorActions1796500000000,
  CreateResolutionProposals1796600000000,
  AddDebitRequester1796650000000,
  CreateStatements1796700000000,
  CreateDeadLetters1796850000000,
];

/**
 * A command's state moves forward (UPDATE) and is never deleted; outbox rows are marked sent and purged after
 * retention; a resolution proposal is decided (UPDATE, once: a trigger refuses any other change) and never deleted.
 * Statements and their lines are evidence: stored once, never changed; a break is only ever closed (UPDATE), not deleted.
 */
export const DEBIT_RUNTIME_GRANTS: RuntimeGrants = {
  debit_commands: ['select', 'insert', 'update'],
  outbox: ['select', 'insert', 'update', 'delete'],
  resolution_proposals: ['select', 'insert', 'update'],
  statements: ['select', 'insert'],
  statement_lines: ['select', 'insert'],
  breaks: ['select', 'insert', 'update'],
  ...OPERATOR_ACTIONS_RUNTIME_GRANTS,
  ...DEAD_LETTERS_RUNTIME_GRANTS,
};

/** The NOTIFY channel of payment-debit's outbox in its database (OutboxModule's `channel`). */
export const DEBIT_OUTBOX_CHANNEL = 'mm_debit_outbox';

/** The one data source definition, shared by the Nest module and the TypeORM migration CLI. */
export function debitDataSourceOptions(config: ServiceDatabaseConfig, migrationsRun = false) {
  return serviceDataSourceOptions(
    config,
    { migrations: DEBIT_MIGRATIONS, grants: DEBIT_RUNTIME_GRANTS, applicationName: 'payment-debit' },
    migrationsRun,
  );
}

/** Used by `typeorm migration:run -d dist/data-source.js`: migrations run as the owner role when one is configured. */
export default new DataSource(
  debitDataSourceOptions({
    DATABASE_URL: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mm_debit',
    DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'debit',
    DATABASE_POOL_SIZE: 2,
  }),
);
