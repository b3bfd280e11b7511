import { Client, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrateDatabase, type DatabaseRoles } from './database-migration';
import type { ReadinessCheck } from './health';

export interface DatabaseOptions {
  /** The runtime role's URL: the service serves with it. */
  url: string;
  /** The service's own schema: each service owns its tables. */
  schema: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  poolSize?: number;
  migrationsRun?: boolean;
  applicationName: string;
  /** The owner URL and the runtime role's grants; without `migrationUrl` the runtime role migrates (development). */
  roles?: DatabaseRoles;
}

/** TypeORM options plus how to migrate; `initialiseDataSource` reads `roles`, TypeORM ignores it. */
export type ServiceDataSourceOptions = DataSourceOptions & { roles?: DatabaseRoles };

/** The database variables every service's validated config holds. */
export interface ServiceDatabaseConfig {
  DATABASE_URL: string;
  DATABASE_MIGRATION_URL?: string;
  DATABASE_RUNTIME_ROLE?: string;
  /** `false`: a migration job migrates before the rollout, and the service only serves (unset: it migrates at start). */
  DATABASE_MIGRATE_ON_START?: boolean;
  DATABASE_SCHEMA: string;
  DATABASE_POOL_SIZE: number;
}

/** What differs between the services' data sources: their migrations, the runtime role's grants and their name. */
export interface ServiceDatabase {
  migrations: DataSourceOptions['migrations'];
  grants: DatabaseRoles['grants'];
  applicationName: string;
}

/** A service's data source from its config: the runtime URL serves, the owner URL (when set) migrates. */
export function serviceDataSourceOptions(
  config: ServiceDatabaseConfig,
  db: ServiceDatabase,
  migrationsRun = false,
): ServiceDataSourceOptions {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [],
    migrations: db.migrations,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsRun: migrationsRun && config.DATABASE_MIGRATE_ON_START !== false,
    roles: { migrationUrl: config.DATABASE_MIGRATION_URL, runtimeRole: config.DATABASE_RUNTIME_ROLE, grants: db.grants },
    applicationName: db.applicationName,
  });
}

/** TypeORM options shared by the Nest module and the migration CLI. Never `synchronize`. */
export function dataSourceOptions(o: DatabaseOptions): ServiceDataSourceOptions {
  return {
    roles: o.roles,
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: o.entities,
    migrations: o.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: o.migrationsRun ?? false,
    synchronize: false,
    // TypeORM's own query-error log prints every parameter (payloads, phone numbers): errors are logged by the
    // services, without parameters, where they are handled.
    logging: false,
    applicationName: o.applicationName,
    extra: {
      max: o.poolSize ?? 10,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30_000,
      // Keep hung statements from holding a request (and a pool slot) forever.
      statement_timeout: 10_000,
      options: `-c search_path=${o.schema},public`,
    },
  };
}

export function databaseReadiness(dataSource: DataSource): ReadinessCheck {
  return {
    name: 'postgres',
    async check() {
      await dataSource.query('select 1');
    },
  };
}

/**
 * Creates the service's schema before TypeORM looks for its migrations table there. An existing schema is left
 * alone without a CREATE (PostgreSQL checks the privilege before `if not exists`), so a runtime role can start.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
    if (rows.length === 0) await client.query(`create schema if not exists ${client.escapeIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

/**
 * Nest `dataSourceFactory`: with `migrationsRun`, migrate first (under the migration lock, with the owner URL when
 * set); otherwise make sure the schema exists. Then initialise the runtime data source, which never migrates itself.
 */
export async function initialiseDataSource(
  options: DataSourceOptions & { schema?: string; url?: string; roles?: DatabaseRoles },
): Promise<DataSource> {
  const { roles, ...typeorm } = options;
  if (typeorm.type === 'postgres' && typeorm.url && typeorm.schema) {
    if (typeorm.migrationsRun) await migrateDatabase({ ...typeorm, url: typeorm.url, schema: typeorm.schema }, roles);
    // A runtime role may not create schemas: with an owner URL, only the migration run creates it.
    else if (!roles?.migrationUrl) await ensureSchema(typeorm.url, typeorm.schema);
  }
  const dataSource = await new DataSource({ ...typeorm, migrationsRun: false }).initialize();
  guardPooledConnections(dataSource);
  return dataSource;
}

type PgPool = Pool & { _clients?: PoolClient[] };
const GUARDED = Symbol('mm.guarded');

/**
 * pg emits 'error' on a checked-out client whose connection dies between two queries (a restart, a failover,
 * pg_terminate_backend): with no listener that crashes the process, e.g. while the outbox relay holds a
 * connection during a Kafka send. Every pooled client gets a listener; the next query on it then fails normally.
 */
export function guardPooledConnections(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool) return;
  const guard = (client: PoolClient & { [GUARDED]?: boolean }) => {
    if (client[GUARDED]) return;
    client[GUARDED] = true;
    client.on('error', () => undefined);
  };
  pool.on('connect', guard);
  for (const client of pool._clients ?? []) guard(client);
}

/**
 * A hot statement as a named prepared statement on node-postgres' pool under the data source: PostgreSQL parses
 * and plans it once per connection instead of once per call, and the call skips TypeORM's per-query query runner.
 * `name` must be unique per SQL text in the process. Returns the rows.
 */
export async function preparedQuery<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the data source is not initialised');
  const result = await pool.query<T & QueryResultRow>({ name, text, values });
  return result.rows;
}

/**
 * A refusal by the database that retrying cannot cure (bad data, a violated constraint): SQLSTATE classes
 * 22 (data exception) and 23 (integrity constraint). Anything else (connection lost, timeout, too many clients,
 * a serialization failure) is transient and must be retried, never dead-lettered.
 */
export function isPermanentDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Node's socket errors and node-postgres' own texts for a connection that could not be made or was lost. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const CONNECTION_LOST = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * The database could not be reached or dropped the connection: connection exceptions (SQLSTATE class 08), an
 * administrator or crash shutdown (57P01–57P03), too many connections (53300), a database closed to connections, and
 * socket errors. An API answers 503 for these (retry later); any other error stays what it is.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONNECTION_ERROR_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (code === '55000') return /is not currently accepting connections/.test(error.message);
    return false;
  }
  return CONNECTION_LOST.test(error.message);
}
