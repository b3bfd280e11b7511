#!/usr/bin/env node
// `npm run chaos`: the fault suite. On a private Kafka and a private embedded PostgreSQL (so it may stop them
// without touching anything else), it keeps a steady load of signed notifications flowing while it kills each
// service with SIGKILL and restarts it, stops Kafka, and stops PostgreSQL. Then it counts: every notification
// answered ACCEPTED must be in the ledger exactly once, and the books must balance; then it imports the Bixi
// sandbox's statement and every UNKNOWN debit must be settled from it, leaving suspense at zero. Exits non-zero on any loss
// or duplicate. Only 127.0.0.1 is used; every loop is bounded. CHAOS_SHORT=1 runs the short CI version.
// CHAOS_INSTANCES=2 runs two instances each of notification-ingest, payment-debit and the ledger (same databases,
// same consumer groups), spreads the notifications over both ingest instances, and kills them one at a time.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bboxxAuthorization } from '@mm/contracts/bboxx-signature';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const short = process.env.CHAOS_SHORT === '1';
const KAFKA_DOWN_S = short ? 8 : 30;
const PG_DOWN_S = short ? 5 : 10;
const RATE = Number(process.env.CHAOS_RATE ?? (short ? 40 : 150));
const DEBIT_RATE = Number(process.env.CHAOS_DEBIT_RATE ?? (short ? 10 : 30));
const PORTS = { 'notification-ingest': 13901, 'payment-debit': 13902, ledger: 13903, 'bixi-sandbox': 14010 };
const INSTANCES = Number(process.env.CHAOS_INSTANCES ?? 1);
if (![1, 2].includes(INSTANCES)) throw new Error(`CHAOS_INSTANCES must be 1 or 2, not ${process.env.CHAOS_INSTANCES}`);
const SCALED = ['notification-ingest', 'ledger', 'payment-debit'];
/** Instance k (0-based) of a service: its key in `services` and its port (the second instance 20 above the first). */
const instance = (name, k) => ({ key: k === 0 ? name : `${name}#${k + 1}`, port: PORTS[name] + 20 * k });
const INGEST_URLS = Array.from(
  { length: INSTANCES },
  (_, k) => `http://127.0.0.1:${instance('notification-ingest', k).port}/mm/1.0/payments/payment/200/customers/12000/payments`,
);
// Mostly ordinary accounts; one command in ten goes to a sandbox fault (decline, 402, 500, garbage, slow, hang, drop).
const debitAccount = (i) => (i % 10 === 9 ? `25260000000${1 + (i % 7)}` : `2526100000${String(i % 50).padStart(2, '0')}`);

// A private infrastructure: its own state directory, Kafka port and embedded PostgreSQL port.
Object.assign(process.env, {
  MM_INFRA_DIR: join('/tmp', 'mm-chaos-infra'),
  MM_KAFKA_PORT: process.env.CHAOS_KAFKA_PORT ?? '19392',
  MM_PG_MODE: 'embedded',
  MM_EMBEDDED_PG_PORT: process.env.CHAOS_PG_PORT ?? '54339',
});
delete process.env.KAFKA_BROKERS;
delete process.env.DATABASE_URL;
const infra = await import('@mm/infra');
const require = createRequire(import.meta.url);
const { startService, queryOnce } = require('@mm/testing');
const { DebitCommandPublisher } = require('@mm/contracts');
const { signOperatorToken } = require('@mm/platform/operator-token');
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const say = (msg) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SECRET = 'chaos-secret-0123456789';
const { chaosInfra } = await import('./chaos-infra.mjs');
const privateInfra = chaosInfra({ infra, queryOnce, say });

let env;
let startedInfra;
const services = {};
const accepted = new Set();
const commands = new Set();
const answers = { accepted: 0, refused: 0, failed: 0 };
const acceptedBy = Array.from({ length: INSTANCES }, () => 0); // ACCEPTED answers per ingest instance
let loadRunning = false;

async function start(name, k = 0) {
  const { key, port } = instance(name, k);
  const common = { KAFKA_BROKERS: env.KAFKA_BROKERS, LOG_LEVEL: 'warn', PORT: String(port) };
  const specific = {
    'notification-ingest': {
      DATABASE_URL: infra.databaseUrl(env.DATABASE_URL, 'mm_ingest'),
      INGEST_CREDENTIALS: JSON.stringify({ 12000: { secrets: [SECRET], providers: ['200'] } }),
      INGEST_RATE_LIMIT_PER_SECOND: '0', // this run counts loss and duplicates, not the per-customer limit
      OUTBOX_POLL_MS: '250',
    },
    ledger: {
      DATABASE_URL: infra.databaseUrl(env.DATABASE_URL, 'mm_ledger'),
      LEDGER_API_KEY: 'chaos-ledger-api-key-0123456789',
      HTTP_ACCESS_LOG: 'false',
    },
    'bixi-sandbox': { BIXI_API_TOKEN: 'chaos-bixi-token', SANDBOX_LATENCY_MS: '20', SANDBOX_SLOW_MS: '1500', SANDBOX_HOLD_MS: '60000' },
    'payment-debit': {
      DATABASE_URL: infra.databaseUrl(env.DATABASE_URL, 'mm_debit'),
      BIXI_BASE_URL: `http://127.0.0.1:${PORTS['bixi-sandbox']}`,
      BIXI_API_TOKEN: 'chaos-bixi-token',
      BIXI_TIMEOUT_MS: '3000',
      DEBIT_STUCK_GRACE_MS: '2000',
      DEBIT_API_KEY: 'chaos-debit-api-key-0123456789',
      HTTP_ACCESS_LOG: 'false',
      OUTBOX_POLL_MS: '250',
      STATEMENT_MAX_BYTES: String(64 * 1024 * 1024),
    },
  }[name];
  services[key] = await startService(key, join(root, 'apps', name, 'dist', 'main.js'), { ...common, ...specific }, 120_000);
}

/** Steady debit commands on Kafka, as internal services publish them; publishing retries through outages. */
async function debitLoop() {
  const kafka = new Kafka({ clientId: 'chaos', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING, retry: { retries: 30 } });
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const publisher = new DebitCommandPublisher(producer, '/mm/chaos');
  let i = 0;
  try {
    while (loadRunning) {
      const commandId = randomUUID();
      try {
        await publisher.publish(
          {
            commandId,
            accountNumber: debitAccount(i),
            accountType: 'mmt',
            amount: { amountMinor: String(100 + (i % 400)), currency: 'USD' },
            receiptId: `CH${i % 100000}`,
            description: 'chaos',
          },
          { correlationId: commandId },
        );
        commands.add(commandId);
      } catch {
        // Kafka down: the command was not published, so nothing may be debited for it.
      }
      i += 1;
      await sleep(1000 / DEBIT_RATE);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** Steady open-loop load: RATE notifications per second, each unique and signed; answers are tallied. */
async function loadLoop() {
  const interval = 1000 / RATE;
  let next = Date.now();
  const inFlight = new Set();
  while (loadRunning) {
    next += interval;
    const p = sendOne().finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size > 200) await Promise.race(inFlight);
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.allSettled(inFlight);
}

let sent = 0;
async function sendOne() {
  const target = sent++ % INGEST_URLS.length; // round-robin over the ingest instances
  const url = INGEST_URLS[target];
  const body = JSON.stringify({ transactionId: `chaos-${randomUUID()}`, amount: 100 + Math.floor(Math.random() * 900), currency: 'RWF' });
  const messageId = randomUUID();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: bboxxAuthorization(SECRET, body, messageId, '200', '12000'),
        MessageID: messageId,
        MessageTimestamp: '20261123000000',
        'Content-Type': 'application/json',
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 200) {
      accepted.add((await res.json()).providerTransactionId);
      answers.accepted += 1;
      acceptedBy[target] += 1;
    } else {
      answers.refused += 1; // 503 while the database is down: the provider retries later; nothing was promised
    }
  } catch {
    answers.failed += 1; // ingest killed or restarting: connection refused, no answer, nothing was promised
  }
}

/**
 * The end of the money loop (SPEC §9): the sandbox's statement for the run's days (yesterday to tomorrow, so no
 * debit's matching window crosses its edge), imported into payment-debit as complete for those days. Every UNKNOWN
 * is then settled from it (debited by its line, not debited by its absence), and the ledger's suspense empties.
 */
async function importSandboxStatement(runStart) {
  const day = (t) => new Date(t).toISOString().slice(0, 10);
  const from = day(runStart - 86_400_000);
  const to = day(Date.now() + 86_400_000);
  let body = '';
  for (let t = Date.parse(`${from}T00:00:00Z`); day(t) <= to; t += 86_400_000) {
    const res = await fetch(`http://127.0.0.1:${PORTS['bixi-sandbox']}/sandbox/statements/${day(t)}?format=jsonl`, {
      headers: { Authorization: 'Bearer chaos-bixi-token' },
    });
    if (!res.ok) throw new Error(`sandbox statement for ${day(t)}: HTTP ${res.status}`);
    body += await res.text();
  }
  const devKey = JSON.parse(readFileSync(join(root, 'config', 'dev-operator-key.json'), 'utf8')).privateJwk;
  const token = await signOperatorToken(devKey, { sub: 'chaos-operator', roles: ['maker'], ttlSeconds: 600 });
  const res = await fetch(`http://127.0.0.1:${PORTS['payment-debit']}/v1/statements/bixi?period=${from}..${to}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson', Authorization: `Bearer ${token}` },
    body,
  });
  const result = await res.json();
  if (!res.ok) throw new Error(`statement import refused (${res.status}): ${JSON.stringify(result)}`);
  return result;
}

async function killAndRestart(name, k = 0) {
  const { key } = instance(name, k);
  say(`kill -9 ${key}`);
  await services[key].kill();
  await sleep(2000);
  await start(name, k);
  say(`${key} restarted`);
}

let exitCode = 1;
const t0 = Date.now();
try {
  say(`private infrastructure: Kafka on ${process.env.MM_KAFKA_PORT}, embedded PostgreSQL on ${process.env.MM_EMBEDDED_PG_PORT}`);
  await infra.down(); // a previous run's leftovers, if any
  rmSync(process.env.MM_INFRA_DIR, { recursive: true, force: true });
  startedInfra = true;
  env = await privateInfra.up();
  const runStart = Date.now();
  await start('bixi-sandbox');
  for (let k = 0; k < INSTANCES; k += 1) await Promise.all(SCALED.map((name) => start(name, k)));
  loadRunning = true;
  const load = Promise.all([loadLoop(), debitLoop()]);
  say(
    `steady load: ${RATE} notifications/s and ${DEBIT_RATE} debit commands/s (one in ten to a Bixi fault account); ${INSTANCES} instance(s) of ${SCALED.join(', ')}`,
  );
  await sleep(3000);
  // One instance of each service in turn (with two instances, the other keeps working); the full run kills each one.
  const victims = short ? [0] : Array.from({ length: INSTANCES }, (_, k) => k);
  for (const k of victims) {
    for (const [j, name] of SCALED.entries()) {
      await killAndRestart(name, (k + j) % INSTANCES);
      await sleep(2000);
    }
  }
  await privateInfra.stopKafka(KAFKA_DOWN_S);
  await sleep(3000);
  await privateInfra.stopPostgres(PG_DOWN_S);
  await sleep(3000);
  loadRunning = false;
  await load;
  say(
    `load stopped: ${answers.accepted} ACCEPTED (${acceptedBy.join(' + ')} by instance), ${answers.refused} refused (e.g. 503), ${answers.failed} without an answer; ${commands.size} debit commands published`,
  );

  const died = Object.values(services).filter((s) => s.process.exitCode !== null || s.process.signalCode !== null);
  for (const s of died)
    say(`${s.name} died on its own (exit ${s.process.exitCode ?? s.process.signalCode}); last output:\n${s.output().slice(-2000)}`);
  say('waiting for the ledger to book every ACCEPTED notification (at most 180 s)…');
  const ledgerUrl = infra.databaseUrl(env.DATABASE_URL, 'mm_ledger');
  const ingestUrl = infra.databaseUrl(env.DATABASE_URL, 'mm_ingest');
  const deadline = Date.now() + 180_000;
  let booked = new Map();
  while (Date.now() < deadline) {
    const rows = await queryOnce(
      ledgerUrl,
      `select subject, count(*)::int as n from ledger.events where type = 'mm.payment.received.v1' group by subject`,
    );
    booked = new Map(rows.map((r) => [r.subject, r.n]));
    if ([...accepted].every((id) => booked.has(id))) break;
    await sleep(1000);
  }
  const missing = [...accepted].filter((id) => !booked.has(id));
  const duplicated = [...booked].filter(([, n]) => n > 1);
  const [{ n: stored }] = await queryOnce(ingestUrl, 'select count(*)::int as n from ingest.notifications');
  const unbalanced = await queryOnce(
    ledgerUrl,
    'select currency, sum(amount_minor)::text as total from ledger.postings group by currency having sum(amount_minor) <> 0',
  );
  const [{ n: entries }] = await queryOnce(ledgerUrl, 'select count(*)::int as n from ledger.journal_entries');

  say(`results (${INSTANCES} instance(s) of ${SCALED.join(', ')}; ${((Date.now() - runStart) / 1000).toFixed(0)} s so far):`);
  say(`  notifications answered ACCEPTED        ${accepted.size}`);
  say(`  notifications stored by ingest          ${stored}`);
  say(`  ACCEPTED and booked in the ledger       ${accepted.size - missing.length}`);
  say(`  ACCEPTED but missing from the ledger    ${missing.length}${missing.length ? ` (e.g. ${missing.slice(0, 3).join(', ')})` : ''}`);
  say(`  payments booked more than once          ${duplicated.length}`);
  say(`  journal entries                         ${entries}`);
  say(`  currencies whose postings do not net 0  ${unbalanced.length}`);
  const debitUrl = infra.databaseUrl(env.DATABASE_URL, 'mm_debit');
  say('waiting for every debit command to reach a final state (at most 120 s)…');
  const debitDeadline = Date.now() + 120_000;
  let states = [];
  while (Date.now() < debitDeadline) {
    states = await queryOnce(debitUrl, 'select command_id::text as id, state from debit.debit_commands');
    if (states.length >= commands.size && states.every((r) => !['RECEIVED', 'SUBMITTING'].includes(r.state))) break;
    await sleep(1000);
  }
  const byState = states.reduce((m, r) => ({ ...m, [r.state]: (m[r.state] ?? 0) + 1 }), {});
  const calls = (await (await fetch(`http://127.0.0.1:${PORTS['bixi-sandbox']}/__sandbox/requests`)).json()).requests;
  const callsPer = new Map();
  for (const c of calls) callsPer.set(c.requestId, (callsPer.get(c.requestId) ?? 0) + 1);
  const debitedTwice = [...callsPer].filter(([, n]) => n > 1);
  const unhandled = [...commands].filter((id) => !states.some((r) => r.id === id));
  const unknown = states.filter((r) => r.state === 'UNKNOWN').map((r) => r.id);
  say(`  debit commands published                ${commands.size}`);
  say(`  debit commands by state                 ${JSON.stringify(byState)}`);
  say(`  published but never recorded            ${unhandled.length}`);
  if (unhandled.length > 0 && process.env.CHAOS_DEBUG)
    say(
      `payment-debit output:\n${services['payment-debit']
        .output()
        .split('\n')
        .filter((l) => !l.includes('"level":30'))
        .slice(-60)
        .join('\n')}`,
    );
  say(`  Bixi calls recorded by the sandbox      ${calls.length}`);
  say(`  commands sent to Bixi more than once    ${debitedTwice.length}`);
  say(
    `  UNKNOWN outcomes (for reconciliation)   ${unknown.length}${unknown.length ? `: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}` : ''}`,
  );
  const suspenseBefore = await queryOnce(
    ledgerUrl,
    `select currency, sum(amount_minor)::text as total from ledger.postings where account_id = 'bixi-suspense' group by currency`,
  );
  say(`  open suspense before the statement      ${suspenseBefore.map((r) => `${r.total} ${r.currency}`).join(', ') || '0'}`);
  say("importing the sandbox's Bixi statement for the run's days, declared complete…");
  const imported = await importSandboxStatement(runStart);
  say(`  statement lines read / UNKNOWNs settled  ${imported.linesRead} / ${imported.resolved}; breaks ${JSON.stringify(imported.breaks)}`);
  say('waiting for the ledger to book every resolution (suspense back to zero, at most 120 s)…');
  const suspenseDeadline = Date.now() + 120_000;
  let openUnknown = [];
  let openSuspense = [];
  while (Date.now() < suspenseDeadline) {
    openUnknown = await queryOnce(debitUrl, `select command_id::text as id from debit.debit_commands where state = 'UNKNOWN'`);
    openSuspense = await queryOnce(
      ledgerUrl,
      `select currency, sum(amount_minor)::text as total from ledger.postings where account_id = 'bixi-suspense'
        group by currency having sum(amount_minor) <> 0`,
    );
    if (openUnknown.length === 0 && openSuspense.length === 0) break;
    await sleep(1000);
  }
  const stillUnbalanced = await queryOnce(
    ledgerUrl,
    'select currency from ledger.postings group by currency having sum(amount_minor) <> 0',
  );
  say(
    `  UNKNOWN left after the statement        ${openUnknown.length}${
      openUnknown.length
        ? ` (e.g. ${openUnknown
            .slice(0, 3)
            .map((r) => r.id)
            .join(', ')})`
        : ''
    }`,
  );
  const settled = await queryOnce(
    debitUrl,
    `select state, count(*)::int as n from debit.debit_commands where resolution_source = 'statement' group by state order by state`,
  );
  say(`  settled from the statement, by state    ${JSON.stringify(Object.fromEntries(settled.map((r) => [r.state, r.n])))}`);
  say(
    `  open suspense after the statement       ${openSuspense.length ? openSuspense.map((r) => `${r.total} ${r.currency}`).join(', ') : '0'}`,
  );
  say(`  duration (infrastructure up to verdict)  ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  say(`  services that died on their own         ${died.length}${died.length ? ` (${died.map((s) => s.name).join(', ')})` : ''}`);
  const ok =
    died.length === 0 &&
    debitedTwice.length === 0 &&
    unhandled.length === 0 &&
    commands.size > 0 &&
    accepted.size > 0 &&
    acceptedBy.every((n) => n > 0) &&
    missing.length === 0 &&
    duplicated.length === 0 &&
    unbalanced.length === 0 &&
    stored >= accepted.size &&
    openUnknown.length === 0 &&
    openSuspense.length === 0 &&
    stillUnbalanced.length === 0;
  say(
    ok
      ? 'PASS: nothing lost, nothing duplicated, no command sent to Bixi twice, every UNKNOWN settled from the statement, suspense zero, books balanced'
      : 'FAIL',
  );
  exitCode = ok ? 0 : 1;
} catch (error) {
  say(`error: ${error.stack ?? error.message}`);
} finally {
  loadRunning = false;
  await Promise.allSettled(Object.values(services).map((s) => s.stop()));
  if (startedInfra) await infra.down().catch(() => undefined);
}
process.exit(exitCode);
