import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { z } from 'zod';

/** Schema, role and table names are quoted into DDL: only this shape is ever accepted. */
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Config fields every service with a database adds beside DATABASE_URL (see README, "Database roles"). */
export const databaseRoleConfig = {
  /** The owner role: runs the migrations and owns schema, tables, functions and triggers. Unset: DATABASE_URL's role does. */
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_MIGRATION_URL must be a postgres:// URL')
    .optional(),
  /** The role granted the runtime privileges; by default the user name of DATABASE_URL. */
  DATABASE_RUNTIME_ROLE: z.string().regex(SQL_IDENTIFIER, 'DATABASE_RUNTIME_ROLE must be a lower-case PostgreSQL role name').optional(),
  /**
   * `false` when a migration job (`node dist/cli/migrate.js`) migrates before the rollout: the service then needs no
   * owner URL, and with a runtime role that has no CREATE it never tries to create its schema.
   */
  DATABASE_MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
};

export type TablePrivilege = 'select' | 'insert' | 'update' | 'delete';

/** What the runtime role may do, per table of the service's schema. A table missing here stops the migration run. */
export type RuntimeGrants = Readonly<Record<string, readonly TablePrivilege[]>>;

export interface DatabaseRoles {
  /** The owner's URL; when set, migrations run with it and the runtime role is granted `grants`. */
  migrationUrl?: string;
  runtimeRole?: string;
  grants: RuntimeGrants;
}

type MigratableOptions = PostgresConnectionOptions & { url: string; schema: string };

/** Two-key advisory lock namespace ("mm" + "mig"): the second key is the schema's hash, so each service locks alone. */
const MIGRATION_LOCK_NAMESPACE = 0x6d6d6d69;
const noop = () => undefined;

/**
 * Runs the service's pending migrations, once, however many replicas start together: a session advisory lock keyed
 * by the schema, held on one dedicated connection, serialises them (the later ones find nothing pending). With an
 * owner URL, the runtime role is then granted exactly `roles.grants`. The lock is released on success and failure.
 * Resolves to the names of the migrations this call ran (none when another replica ran them first).
 */
export async function migrateDatabase(options: MigratableOptions, roles?: DatabaseRoles): Promise<string[]> {
  const schema = identifier(options.schema, 'DATABASE_SCHEMA');
  const url = roles?.migrationUrl ?? options.url;
  const lock = new Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: `${options.applicationName ?? 'mm'}-migrate`,
  });
  // A connection that dies mid-run drops the lock with it; the failure surfaces through the running query.
  lock.on('error', noop);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_NAMESPACE, schema]);
    try {
      await lock.query(`create schema if not exists ${lock.escapeIdentifier(schema)}`);
      const migrator = await new DataSource({ ...options, url, migrationsRun: false, extra: { ...options.extra, max: 1 } }).initialize();
      let ran: string[];
      try {
        ran = (await migrator.runMigrations()).map((m) => m.name);
      } finally {
        await migrator.destroy();
      }
      if (roles?.migrationUrl) await grantRuntimePrivileges(lock, schema, runtimeRoleOf(options.url, roles.runtimeRole), roles.grants);
      return ran;
    } finally {
      await lock.query('select pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_NAMESPACE, schema]).catch(noop);
    }
  } finally {
    await lock.end().catch(noop);
  }
}

/** DATABASE_RUNTIME_ROLE, or the user DATABASE_URL logs in as. */
export function runtimeRoleOf(runtimeUrl: string, configured?: string): string {
  const role = configured ?? decodeURIComponent(new URL(runtimeUrl).username);
  return identifier(role, 'the runtime role (DATABASE_RUNTIME_ROLE or the user of DATABASE_URL)');
}

/**
 * Replaces whatever the runtime role held in the schema with exactly `grants`, in one transaction (the service never
 * sees a gap). Re-applied on every start, so a renamed role, a database first run with one URL, or a privilege
 * dropped from `grants` all converge. The owner keeps ownership: only it can drop, alter or disable triggers.
 */
async function grantRuntimePrivileges(client: Client, schema: string, role: string, grants: RuntimeGrants): Promise<void> {
  const { rows } = await client.query<{ owner: boolean }>('select current_user = $1 as owner', [role]);
  // The same role on both URLs: it owns everything already, and revoking would lock the owner out of its own tables.
  if (rows[0]?.owner) return;
  const undeclared = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm') and c.relname <> 'migrations'
        and not c.relname = any($2::text[]) order by 1`,
    [schema, Object.keys(grants)],
  );
  if (undeclared.rows.length > 0) {
    throw new Error(
      `tables of schema ${schema} with no declared runtime privileges (add them to the service's runtime grants): ${undeclared.rows.map((r) => r.name).join(', ')}`,
    );
  }
  const q = (name: string) => client.escapeIdentifier(identifier(name, 'a table name'));
  const statements = [
    `revoke all on all tables in schema ${q(schema)} from ${q(role)}`,
    `revoke all on all sequences in schema ${q(schema)} from ${q(role)}`,
    `grant usage on schema ${q(schema)} to ${q(role)}`,
    // Privileges come from the closed TablePrivilege union, never from input.
    ...Object.entries(grants).map(
      ([table, privileges]) => `grant ${privileges.join(', ')} on table ${q(schema)}.${q(table)} to ${q(role)}`,
    ),
    `grant usage on all sequences in schema ${q(schema)} to ${q(role)}`,
  ];
  await client.query('begin');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(noop);
    throw error;
  }
}

function identifier(name: string, what: string): string {
  if (!SQL_IDENTIFIER.test(name)) throw new Error(`${what} must match ${SQL_IDENTIFIER.source}`);
  return name;
}
