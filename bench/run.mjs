#!/usr/bin/env node
// `npm run bench`: measures the pipeline on this machine beside bare-Node baselines, prints the numbers while it
// runs, and writes bench/results/latest.json and latest.md. Load comes from separate processes (load.mjs).
// BENCH_SECONDS sets the sustained-load duration (default 60), BENCH_QUICK=1 shortens every phase for a smoke run.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { down, up } from '@mm/infra';

const require = createRequire(import.meta.url);
const { createTestDatabase, deleteTopicsWithPrefix, peakRssMb, queryOnce, startService, testKafka } = require('@mm/testing');
const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const run = promisify(execFile);
const quick = process.env.BENCH_QUICK === '1';
const SUSTAIN = Number(process.env.BENCH_SECONDS ?? (quick ? 5 : 60));
const SHORT = quick ? 5 : 20;
const SECRET = 'bench-secret-0123456789';
/** Connections the load generator keeps open at saturation: enough for ingest's micro-batches to fill. */
const CONNECTIONS = 256;
const CREDENTIALS = JSON.stringify({ 12000: { secrets: [SECRET], providers: ['200'] } });
const entry = (app) => join(root, 'apps', app, 'dist', 'main.js');
const results = {
  machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  startedAt: new Date().toISOString(),
};
const phases = [];
const say = (msg) => process.stdout.write(`[bench] ${msg}\n`);
// This run's own topics and consumer groups: every service and script it starts inherits the prefix, so nothing the
// benchmark publishes reaches the development stack (`npm start`) on the same broker; they are deleted at the end.
process.env.KAFKA_TOPIC_PREFIX = `bench.${Date.now().toString(36)}.`;

async function load(url, seconds, connections, rate = 0, warmup = 0) {
  const label = rate ? `${rate}/s offered` : 'saturation';
  const started = Date.now();
  const ticker = setInterval(
    () => process.stdout.write(`\r[bench]   ${label}: ${Math.round((Date.now() - started) / 1000)}/${seconds + warmup} s `),
    1000,
  );
  try {
    const { stdout } = await run(
      process.execPath,
      [join(here, 'load.mjs'), url, String(seconds), String(connections), String(rate), String(warmup)],
      {
        env: { ...process.env, SECRET },
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(stdout.trim().split('\n').pop());
  } finally {
    clearInterval(ticker);
    process.stdout.write('\n');
  }
}

async function phase(name, fn) {
  say(`${phases.length + 1}. ${name}`);
  const t0 = Date.now();
  const value = await fn();
  phases.push({ name, seconds: Math.round((Date.now() - t0) / 1000) });
  return value;
}

const infra = await up();
Object.assign(process.env, infra.env);
try {
  // The ceiling is the bare server's best: at 64 connections and at ingest's 256, whichever is higher.
  const baseline = await phase(`bare-Node ceiling (HMAC + JSON, no framework, no database), 2 × ${SHORT} s`, async () => {
    const server = await startService('baseline', join(here, 'baseline-server.mjs'), { SECRET });
    try {
      const runs = [await load(server.url, SHORT, 64), await load(server.url, SHORT, CONNECTIONS)];
      return runs.reduce((best, r) => (r.acceptedPerSecond > best.acceptedPerSecond ? r : best));
    } finally {
      await server.stop();
    }
  });
  say(`   ceiling: ${baseline.acceptedPerSecond}/s, p99 ${baseline.latencyMs.p99} ms`);

  const ingestDb = await createTestDatabase('bench_ingest');
  const ledgerDb = await createTestDatabase('bench_ledger');
  const ingest = await startService('notification-ingest', entry('notification-ingest'), {
    DATABASE_URL: ingestDb.url,
    INGEST_CREDENTIALS: CREDENTIALS,
    INGEST_RATE_LIMIT_PER_SECOND: '0', // capacity is measured, not the per-customer limit
    LOG_LEVEL: 'warn',
  });
  let ledger;
  try {
    // Ingest on its own first: its latency at a steady 1,000/s, after a warm-up (JIT, pools, connections).
    const WARMUP = quick ? 2 : 5;
    const fixed = await phase(`ingest at 1,000/s offered on a constant schedule, ${SHORT} s after ${WARMUP} s of warm-up (latency)`, () =>
      load(ingest.url, SHORT, 64, 1000, WARMUP),
    );
    say(`   accepted ${fixed.acceptedPerSecond}/s, p50 ${fixed.latencyMs.p50} ms, p99 ${fixed.latencyMs.p99} ms`);

    // Then the pipeline: the same steady load with the ledger consuming, timed from ingest's commit to the ledger's.
    ledger = await startService('ledger', entry('ledger'), {
      DATABASE_URL: ledgerDb.url,
      LEDGER_API_KEY: 'bench-ledger-api-key-0123456789',
      LEDGER_CONSUMER_GROUP: `ledger-bench-${Date.now()}`,
      HTTP_ACCESS_LOG: 'false',
      LOG_LEVEL: 'warn',
    });
    await new Promise((r) => setTimeout(r, 3000)); // the consumer joins its group and takes its partitions
    const [{ since }] = await queryOnce(ingestDb.url, 'select now() as since');
    const lag = await phase(`notification → ledger lag at 1,000/s for ${SHORT} s (from the two databases’ commit times)`, async () => {
      const pipeline = await load(ingest.url, SHORT, 64, 1000);
      const ids = await queryOnce(ingestDb.url, 'select id::text, received_at from ingest.notifications where received_at >= $1', [since]);
      const wanted = new Map(ids.map((r) => [r.id, new Date(r.received_at).getTime()]));
      const deadline = Date.now() + 120_000;
      let rows = [];
      while (Date.now() < deadline) {
        rows = await queryOnce(ledgerDb.url, `select subject, received_at from ledger.events where type = 'mm.payment.received.v1'`);
        if (rows.filter((r) => wanted.has(r.subject)).length >= wanted.size) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const lags = rows
        .filter((r) => wanted.has(r.subject))
        .map((r) => new Date(r.received_at).getTime() - wanted.get(r.subject))
        .sort((a, b) => a - b);
      const pct = (p) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
      return {
        notifications: wanted.size,
        booked: lags.length,
        lagMs: { p50: pct(50), p99: pct(99), max: lags[lags.length - 1] },
        ingestLatencyMs: pipeline.latencyMs,
      };
    });
    say(`   ${lag.booked}/${lag.notifications} booked; lag p50 ${lag.lagMs.p50} ms, p99 ${lag.lagMs.p99} ms`);

    // Saturation measures ingest itself (each service is deployed and scaled on its own): the ledger stops first.
    results.peakRssMb = { ledger: peakRssMb(ledger.process.pid) };
    await ledger.stop();
    ledger = undefined;
    const saturation = await phase(`ingest at saturation, sustained ${SUSTAIN} s (${CONNECTIONS} connections)`, () =>
      load(ingest.url, SUSTAIN, CONNECTIONS),
    );
    say(
      `   accepted ${saturation.acceptedPerSecond}/s (${(saturation.acceptedPerSecond / baseline.acceptedPerSecond).toFixed(2)} of the ceiling), p99 ${saturation.latencyMs.p99} ms`,
    );

    results.ingest = {
      ceiling: baseline,
      fixedRate: fixed,
      saturation,
      ratioToCeiling: +(saturation.acceptedPerSecond / baseline.acceptedPerSecond).toFixed(3),
    };
    results.endToEnd = lag;
    results.peakRssMb['notification-ingest'] = peakRssMb(ingest.process.pid);
  } finally {
    await Promise.allSettled([ingest.stop(), ledger?.stop()]);
    await Promise.allSettled([ingestDb.drop(), ledgerDb.drop()]);
  }
  const catchUp = await phase(`ledger catching up a backlog of ${quick ? '20,000' : '100,000'} events`, async () => {
    const { stdout } = await run(process.execPath, [join(root, 'apps', 'ledger', 'bench', 'catch-up.bench.js')], {
      env: { ...process.env, ...infra.env, BENCH_EVENTS: quick ? '20000' : '100000', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      maxBuffer: 1 << 22,
      timeout: 600_000,
    });
    return JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')));
  });
  say(`   ${catchUp.eventsPerSecond} events/s (${catchUp.events} events, ${catchUp.postings} postings)`);
  results.ledgerCatchUp = catchUp;
  results.peakRssMb.ledger = Math.max(results.peakRssMb.ledger ?? 0, catchUp.peakRssMb.ledger);

  const debits = await phase('payment-debit: debits per second through the Bixi sandbox at 20 ms latency', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'apps', 'payment-debit', 'scripts', 'bench-debits.mjs')], {
      env: {
        ...process.env,
        ...infra.env,
        SANDBOX_LATENCY_MS: '20',
        BENCH_COMMANDS: quick ? '1000' : '8000',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      maxBuffer: 1 << 22,
      timeout: 600_000,
    });
    return JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')));
  });
  say(`   ${debits.debitsPerSecond} debits/s (bare-Node calls to the same sandbox: ${debits.bareNodeCallsPerSecond}/s)`);
  results.debit = debits;
  Object.assign((results.peakRssMb ??= {}), debits.peakRssMb);
} finally {
  await deleteTopicsWithPrefix(testKafka('bench-cleanup'), process.env.KAFKA_TOPIC_PREFIX).catch((e) =>
    say(`could not delete the bench topics: ${e.message}`),
  );
  await down(infra.started);
}

results.phases = phases;
results.finishedAt = new Date().toISOString();
const targets = [
  ['ingest sustained ≥ 5,000 accepted/s', results.ingest?.saturation.acceptedPerSecond >= 5000],
  ['ingest ≥ 0.25 of the bare-Node ceiling', results.ingest?.ratioToCeiling >= 0.25],
  ['ingest p99 ≤ 50 ms at 1,000/s', results.ingest?.fixedRate.latencyMs.p99 <= 50],
  ['notification → ledger p99 ≤ 500 ms at 1,000/s', results.endToEnd?.lagMs.p99 <= 500],
  ['ledger catch-up ≥ 20,000 events/s', results.ledgerCatchUp?.eventsPerSecond >= 20000],
  ['payment-debit ≥ 1,000 debits/s at 20 ms', results.debit?.debitsPerSecond >= 1000],
  ['each service ≤ 200 MB RSS', Object.values(results.peakRssMb ?? {}).every((mb) => mb <= 200)],
];
results.targets = Object.fromEntries(targets);
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2));
const md = [
  `# Benchmark results (${results.finishedAt})`,
  '',
  `Machine: ${results.machine.cpus} cores, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; Kafka and PostgreSQL on the same machine.`,
  '',
  '| measure | value |',
  '| --- | --- |',
  `| bare-Node ceiling (HMAC + JSON) | ${results.ingest?.ceiling.acceptedPerSecond}/s at ${results.ingest?.ceiling.connections} connections, p99 ${results.ingest?.ceiling.latencyMs.p99} ms |`,
  `| ingest at saturation (${SUSTAIN} s, ${CONNECTIONS} connections) | ${results.ingest?.saturation.acceptedPerSecond}/s accepted (per second: min ${results.ingest?.saturation.perSecond?.min}, max ${results.ingest?.saturation.perSecond?.max}), p50 ${results.ingest?.saturation.latencyMs.p50} ms, p99 ${results.ingest?.saturation.latencyMs.p99} ms |`,
  `| ingest / ceiling | ${results.ingest?.ratioToCeiling} |`,
  `| ingest at 1,000/s | p50 ${results.ingest?.fixedRate.latencyMs.p50} ms, p99 ${results.ingest?.fixedRate.latencyMs.p99} ms |`,
  `| ledger catching up a backlog | ${results.ledgerCatchUp?.eventsPerSecond} events/s (${results.ledgerCatchUp?.events} events, ${results.ledgerCatchUp?.postings} postings) |`,
  `| notification → ledger at 1,000/s | p50 ${results.endToEnd?.lagMs.p50} ms, p99 ${results.endToEnd?.lagMs.p99} ms (${results.endToEnd?.booked}/${results.endToEnd?.notifications} booked; ingest p99 meanwhile ${results.endToEnd?.ingestLatencyMs.p99} ms) |`,
  `| payment-debit through the sandbox at 20 ms | ${results.debit?.debitsPerSecond} debits/s (bare-Node calls: ${results.debit?.bareNodeCallsPerSecond}/s, ${results.debit?.maxInFlight} in flight) |`,
  ...Object.entries(results.peakRssMb ?? {}).map(([s, mb]) => `| peak RSS ${s} | ${mb} MB |`),
  '',
  '| target | met |',
  '| --- | --- |',
  ...targets.map(([t, ok]) => `| ${t} | ${ok ? 'yes' : 'no'} |`),
  '',
].join('\n');
writeFileSync(join(here, 'results', 'latest.md'), md);
process.stdout.write(`\n${md}\n`);
