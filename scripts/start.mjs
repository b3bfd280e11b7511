#!/usr/bin/env node
// `npm start`: the whole pipeline on one machine. Brings up Kafka and PostgreSQL (@mm/infra), builds,
// starts every service with development defaults (any variable already in the environment wins), prints where
// each one listens once it is ready, and on Ctrl-C stops the services gracefully and then what infra started.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrl, down, ROOT, SERVICE_DATABASES, up } from '@mm/infra';
import { SERVICE_RUNTIME_ENV } from './service-runtime.mjs';

const DEV = {
  LEDGER_API_KEY: 'dev-ledger-api-key-change-me',
  DEBIT_API_KEY: 'dev-debit-api-key-change-me',
  BIXI_API_TOKEN: 'dev-bixi-api-token-change-me',
};

function services(env) {
  const dbUrl = (name) => databaseUrl(env.DATABASE_URL, name);
  const bixiToken = process.env.BIXI_API_TOKEN ?? DEV.BIXI_API_TOKEN;
  return [
    {
      name: 'bixi-sandbox',
      port: 4010,
      env: { BIXI_API_TOKEN: bixiToken },
      describe: (url) => `POST ${url}/3.0/pay (Bearer ${bixiToken === DEV.BIXI_API_TOKEN ? DEV.BIXI_API_TOKEN : '<BIXI_API_TOKEN>'})`,
    },
    {
      name: 'notification-ingest',
      port: 3001,
      env: {
        DATABASE_URL: dbUrl(SERVICE_DATABASES.ingest),
        INGEST_CREDENTIALS_FILE: process.env.INGEST_CREDENTIALS ? undefined : join(ROOT, 'config', 'dev-credentials.json'),
      },
      describe: (url) => `POST ${url}/mm/1.0/payments/payment/200/customers/12000/payments`,
    },
    {
      name: 'payment-debit',
      port: 3002,
      env: {
        DATABASE_URL: dbUrl(SERVICE_DATABASES.debit),
        BIXI_BASE_URL: 'http://127.0.0.1:4010',
        BIXI_API_TOKEN: bixiToken,
        DEBIT_API_KEY: DEV.DEBIT_API_KEY,
      },
      describe: (url) => `POST ${url}/v1/debits (X-API-Key: ${process.env.DEBIT_API_KEY ? '<DEBIT_API_KEY>' : DEV.DEBIT_API_KEY})`,
    },
    {
      name: 'ledger',
      port: 3003,
      env: { DATABASE_URL: dbUrl(SERVICE_DATABASES.ledger), LEDGER_API_KEY: DEV.LEDGER_API_KEY },
      describe: (url) => `GET ${url}/v1/payments (X-API-Key: ${process.env.LEDGER_API_KEY ? '<LEDGER_API_KEY>' : DEV.LEDGER_API_KEY})`,
    },
    {
      name: 'console',
      port: 3004,
      env: {
        DATABASE_URL: dbUrl(SERVICE_DATABASES.console),
        CONSOLE_LEDGER_API_KEY: process.env.LEDGER_API_KEY ?? DEV.LEDGER_API_KEY,
        CONSOLE_DEBIT_API_KEY: process.env.DEBIT_API_KEY ?? DEV.DEBIT_API_KEY,
      },
      // The development operators (alice maker, bob checker, victor viewer) are created before it starts.
      before: (env) => seedOperators(env),
      describe: (url) => `${url}/  (operators' console: sign in as one of the operators below)`,
    },
  ].filter((s) => existsSync(join(ROOT, 'apps', s.name, 'package.json')));
}

const log = (msg) => process.stdout.write(`[mm] ${msg}\n`);
let consoleOperators = [];

/**
 * The console's development operators: created on the first start with random passwords, printed here once (they are
 * written nowhere); later starts say they already exist (reset: drop the mm_console database).
 */
function seedOperators(env) {
  const seed = spawnSync(process.execPath, [join(ROOT, 'apps', 'console', 'dist', 'cli', 'seed-operators.js')], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  if (seed.status !== 0) {
    log(`could not create the console's operators: ${seed.stderr.slice(-500)}`);
    return false;
  }
  const operators = seed.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  consoleOperators = operators;
  return true;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ready(url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  return false;
}

const infra = await up().catch((error) => {
  console.error(`[mm] ${error.message}`);
  process.exit(1);
});

log('building…');
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (build.status !== 0) {
  await down(infra.started);
  process.exit(1);
}

const logDir = join(ROOT, '.infra', 'logs');
mkdirSync(logDir, { recursive: true });
const children = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping services…');
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  const deadline = Date.now() + 20_000;
  while (children.some((c) => c.child.exitCode === null) && Date.now() < deadline) await sleep(200);
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await down(infra.started).catch((e) => console.error(`[mm] ${e.message}`));
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

for (const s of services(infra.env)) {
  const env = Object.fromEntries(
    Object.entries({
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...SERVICE_RUNTIME_ENV,
      KAFKA_BROKERS: infra.env.KAFKA_BROKERS,
      PORT: String(s.port),
      ...s.env,
      ...process.env,
    }).filter(([, v]) => v !== undefined),
  );
  // The per-service database wins over a shared DATABASE_URL from the environment only when none was given.
  if (!process.env.DATABASE_URL && s.env.DATABASE_URL) env.DATABASE_URL = s.env.DATABASE_URL;
  if (s.before && !s.before(env)) await stopAll(1);
  const file = createWriteStream(join(logDir, `${s.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(ROOT, 'apps', s.name, 'dist', 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${s.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      file.write(chunk);
      for (const line of chunk.toString().split('\n')) if (line) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code) => {
    if (!stopping) {
      log(`${s.name} exited with ${code}; stopping the pipeline (log: ${join(logDir, `${s.name}.log`)})`);
      void stopAll(1);
    }
  });
  children.push({ ...s, child, url: `http://127.0.0.1:${env.PORT}` });
}

const results = await Promise.all(children.map(async (c) => [c, await ready(c.url)]));
const notReady = results.filter(([, ok]) => !ok).map(([c]) => c.name);
if (notReady.length > 0) {
  log(`not ready after 90 s: ${notReady.join(', ')}`);
  await stopAll(1);
}
log('the pipeline is up:');
for (const c of children) log(`  ${c.name.padEnd(20)} ${c.url}   ${c.describe(c.url)}`);
log(`  ${'kafka'.padEnd(20)} ${infra.env.KAFKA_BROKERS}`);
for (const o of consoleOperators) {
  const password = o.password
    ? `password ${o.password}   (shown this once)`
    : 'already created (its password was shown on the first start)';
  log(`  console operator ${o.operator.padEnd(7)} ${o.roles.join(',').padEnd(8)} ${password}`);
}
log(`  logs: ${logDir}   health: <url>/health/ready   metrics: <url>/metrics   stop: Ctrl-C`);
