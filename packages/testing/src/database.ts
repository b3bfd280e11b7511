import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';

/** The server the tests use: DATABASE_URL (set by scripts/test.mjs) or the local one. */
export const adminDatabaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A brand-new database per test file, so suites never see each other's rows and can run side by side. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `mm_test_${prefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: adminDatabaseUrl() });
      await c.connect();
      try {
        await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Cuts a service off its test database as an outage would: no new connections, every open one terminated. Returns the
 * function that lets connections in again (call it in `afterAll` too, before dropping the database).
 */
export async function cutOffDatabase(name: string): Promise<() => Promise<void>> {
  const admin = adminDatabaseUrl();
  const ident = `"${name.replace(/"/g, '""')}"`;
  await queryOnce(admin, `alter database ${ident} with allow_connections false`);
  await queryOnce(admin, 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
  return async () => {
    await queryOnce(admin, `alter database ${ident} with allow_connections true`);
  };
}

/** Runs one query on a database and closes the connection (for assertions). */
export async function queryOnce<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export interface TestRole {
  name: string;
  /** `databaseUrl` with this role's credentials. */
  urlFor(databaseUrl: string): string;
  /** Drop the databases it holds privileges in first. */
  drop(): Promise<void>;
}

/** A login role with no privileges beyond PUBLIC's, uniquely named so parallel suites never share one. */
export async function createTestRole(prefix: string): Promise<TestRole> {
  const name = `mm_test_${prefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain role name: ${name}`);
  const password = randomBytes(16).toString('hex');
  const onServer = async (sql: string) => void (await queryOnce(adminDatabaseUrl(), sql));
  // DDL takes no bind parameters: the name is checked above and quoted, the password is hex and quoted as a literal.
  await onServer(`create role ${escapeIdentifier(name)} login password ${escapeLiteral(password)}`);
  return {
    name,
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.username = name;
      url.password = password;
      return url.toString();
    },
    drop: () => onServer(`drop role if exists ${escapeIdentifier(name)}`),
  };
}

/** Runs one statement on a database; resolves with its error (for asserting refusals), or undefined when it succeeded. */
export async function queryError(url: string, sql: string): Promise<{ code?: string; message: string } | undefined> {
  try {
    await queryOnce(url, sql);
    return undefined;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}
