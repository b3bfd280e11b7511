#!/usr/bin/env node
// `npm run bench`: measures the pipeline on this machine as ratios to ceilings measured in the same run (the machine's
// speed varies too much between runs for absolute numbers), prints progress while it runs, and writes
// bench/results/latest.json, latest.md and each service's CPU profile at saturation (profiles/<service>.cpuprofile).
// Load comes from separate processes (load.mjs). BENCH_SECONDS sets the sustained-load duration (default 60);
// BENCH_SMOKE=1 shortens every phase for a quick check and writes to bench/results/smoke/ (not committed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { down, up } from '@mm/infra';
import { cpuProfArgs, monotonicUs, profilePath, topSelfTime } from './cpu-profile.mjs';
import { pipelineLag, runLoad, runScript } from './phases.mjs';
import { markdown, ratioRows } from './report.mjs';
import { RUNTIME_NODE_VERSION, runtimeNode } from '../scripts/service-runtime.mjs';

// Everything runs on the Node release the services ship on (the Dockerfile's), not the machine's: the services, the
// ceiling server and the load generators alike, so each ratio compares like with like.
if (process.versions.node !== RUNTIME_NODE_VERSION) {
  const node = runtimeNode();
  process.stdout.write(`[bench] running on Node ${RUNTIME_NODE_VERSION} as the services ship (${node})\n`);
  process.exit(spawnSync(node, process.argv.slice(1), { stdio: 'inherit' }).status ?? 1);
}

const require = createRequire(import.meta.url);
const {
  INFRA_PROCESSES,
  cpuTimes,
  createTestDatabase,
  deleteTopicsWithPrefix,
  idlePercent,
  peakRssMb,
  queryOnce,
  sampleProcessCpu,
  startService,
  testKafka,
} = require('@mm/testing');
const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const quick = process.env.BENCH_SMOKE === '1' || process.env.BENCH_QUICK === '1';
const out = join(here, 'results', ...(quick ? ['smoke'] : []));
const profiles = join(out, 'profiles');
rmSync(profiles, { recursive: true, force: true });
mkdirSync(profiles, { recursive: true });
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
/** Each service's saturation phase on the profiles' clock: only those samples make its top-10 list. */
const windows = {};
const say = (msg) => process.stdout.write(`[bench] ${msg}\n`);
// This run's own topics and consumer groups: every service and script it starts inherits the prefix, so nothing the
// benchmark publishes reaches the development stack (`npm start`) on the same broker; they are deleted at the end.
process.env.KAFKA_TOPIC_PREFIX = `bench.${Date.now().toString(36)}.`;

const load = (url, seconds, connections, rate = 0, warmup = 0) => runLoad({ url, seconds, connections, rate, warmup, secret: SECRET });

/** Where the machine's CPU went during a phase: each process's share of one core, and the machine's CPU per item. */
function cpuPhase(phase, perSecond, unit, shares) {
  return { phase, perSecond: Math.round(perSecond), unit, shares, machineCpuMsPerItem: +((10 * shares.machine) / perSecond).toFixed(3) };
}

/** A phase's CPU by process, with the load generators' own (they report it: each has exited by the time it is read). */
function withGenerator(shares, ...loads) {
  const cpu = loads.reduce((sum, l) => sum + l.cpuSeconds, 0);
  const seconds = loads.reduce((sum, l) => sum + l.seconds, 0);
  return { ...shares, 'load generator': Math.round((1000 * cpu) / seconds) / 10 }; // already in `machine` (/proc/stat)
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
  // First the box at rest (Kafka and PostgreSQL up, nothing of the benchmark running): CPU busy here is other work on
  // a shared machine. The ceiling is then the bare server's best: at 64 connections and at ingest's 256, whichever is
  // higher (it fills both cores by design, so its idle time says nothing). The same server then takes 1,000/s on a
  // constant schedule: if the generator cannot hold that against a server doing almost nothing, or other work kept
  // over 20% of the box busy at rest, the box is saturated and no latency measured in this run says anything about
  // the services.
  const baseline = await phase(`bare-Node ceiling (HMAC + JSON, no framework, no database), 2 × ${SHORT} s, then 1,000/s`, async () => {
    const rest = cpuTimes();
    await new Promise((r) => setTimeout(r, 3000));
    const idleAtRest = idlePercent(rest, cpuTimes());
    const server = await startService('baseline', join(here, 'baseline-server.mjs'), { SECRET });
    try {
      const before = cpuTimes();
      const cpu = sampleProcessCpu({ 'bare server': server.process.pid });
      const runs = [await load(server.url, SHORT, 64), await load(server.url, SHORT, CONNECTIONS)];
      const idle = idlePercent(before, cpuTimes());
      const served = runs.reduce((sum, r) => sum + r.accepted, 0) / runs.reduce((sum, r) => sum + r.seconds, 0);
      results.cpu = [cpuPhase('bare-Node ceiling (both runs)', served, 'request', withGenerator(cpu.stop(), ...runs))];
      const atFixedRate = await load(server.url, SHORT, 64, 1000, quick ? 1 : 2);
      const held = +(atFixedRate.acceptedPerSecond / 1000).toFixed(3);
      results.saturation = {
        idlePercentAtRest: idleAtRest,
        idlePercentDuringCeiling: idle,
        generatorHeld: held,
        bareAtFixedRate: atFixedRate,
        saturated: idleAtRest < 80 || held < 0.97,
      };
      return runs.reduce((best, r) => (r.acceptedPerSecond > best.acceptedPerSecond ? r : best));
    } finally {
      await server.stop();
    }
  });
  say(
    `   ceiling: ${baseline.acceptedPerSecond}/s, p99 ${baseline.latencyMs.p99} ms; CPU idle at rest ${results.saturation.idlePercentAtRest}%, during the ceiling ${results.saturation.idlePercentDuringCeiling}%`,
  );
  say(
    `   bare server at 1,000/s: held ${results.saturation.generatorHeld}, p99 ${results.saturation.bareAtFixedRate.latencyMs.p99} ms → saturated: ${results.saturation.saturated ? 'yes' : 'no'}`,
  );

  const ingestDb = await createTestDatabase('bench_ingest');
  const ledgerDb = await createTestDatabase('bench_ledger');
  const ingestEnv = {
    DATABASE_URL: ingestDb.url,
    INGEST_CREDENTIALS: CREDENTIALS,
    INGEST_RATE_LIMIT_PER_SECOND: '0', // capacity is measured, not the per-customer limit
    LOG_LEVEL: 'warn',
  };
  let ingest = await startService('notification-ingest', entry('notification-ingest'), ingestEnv);
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
    const lag = await phase(`notification → ledger lag at 1,000/s for ${SHORT} s (from the two databases’ commit times)`, () =>
      pipelineLag(load(ingest.url, SHORT, 64, 1000), ingestDb.url, ledgerDb.url, since),
    );
    say(`   ${lag.booked}/${lag.notifications} booked; lag p50 ${lag.lagMs.p50} ms, p99 ${lag.lagMs.p99} ms`);

    // Saturation measures ingest itself (each service is deployed and scaled on its own): the ledger stops first.
    // Throughput, CPU by process and peak RSS come from the same ingest, without the profiler (which costs CPU and
    // holds about 10 MB); ingest then restarts with the CPU profiler on for a shorter run, for its profile only.
    results.peakRssMb = { ledger: peakRssMb(ledger.process.pid) };
    await ledger.stop();
    ledger = undefined;
    const cpu = sampleProcessCpu({ 'notification-ingest': ingest.process.pid, ...INFRA_PROCESSES });
    const saturation = await phase(`ingest at saturation, sustained ${SUSTAIN} s (${CONNECTIONS} connections)`, () =>
      load(ingest.url, SUSTAIN, CONNECTIONS),
    );
    results.cpu.push(cpuPhase('ingest at saturation', saturation.acceptedPerSecond, 'notification', withGenerator(cpu.stop(), saturation)));
    results.peakRssMb['notification-ingest'] = peakRssMb(ingest.process.pid);
    say(
      `   accepted ${saturation.acceptedPerSecond}/s (${(saturation.acceptedPerSecond / baseline.acceptedPerSecond).toFixed(2)} of the ceiling), p99 ${saturation.latencyMs.p99} ms`,
    );
    await ingest.stop();
    ingest = await startService(
      'notification-ingest',
      entry('notification-ingest'),
      ingestEnv,
      60_000,
      cpuProfArgs(profiles, 'notification-ingest'),
    );
    const fromUs = monotonicUs();
    await phase(`ingest at saturation with the CPU profiler on, ${SHORT} s (profile only)`, () => load(ingest.url, SHORT, CONNECTIONS));
    windows['notification-ingest'] = { fromUs, toUs: monotonicUs() };

    results.ingest = {
      ceiling: baseline,
      fixedRate: fixed,
      saturation,
      ratioToCeiling: +(saturation.acceptedPerSecond / baseline.acceptedPerSecond).toFixed(3),
    };
    results.endToEnd = lag;
  } finally {
    await Promise.allSettled([ingest.stop(), ledger?.stop()]);
    await Promise.allSettled([ingestDb.drop(), ledgerDb.drop()]);
  }
  const catchUp = await phase(`ledger catching up a backlog of ${quick ? '20,000' : '100,000'} events, then COPY of its rows`, () =>
    runScript(join(root, 'apps', 'ledger', 'bench', 'catch-up.bench.js'), {
      BENCH_EVENTS: quick ? '20000' : '100000',
      BENCH_CPU_PROF_DIR: profiles,
    }),
  );
  say(`   ${catchUp.eventsPerSecond} events/s (${catchUp.events} events, ${catchUp.postings} postings)`);
  say(
    `   COPY of the same rows: ${catchUp.copyCeiling.rowsPerSecond} rows/s; catch-up ${catchUp.rowsPerSecond} rows/s = ${catchUp.ratioToCeiling} of it`,
  );
  results.ledgerCatchUp = catchUp;
  results.cpu.push(
    cpuPhase('ledger catch-up', catchUp.eventsPerSecond, 'event', catchUp.cpu.catchUp),
    cpuPhase('COPY of the same rows', catchUp.copyCeiling.eventsPerSecond, 'event', catchUp.cpu.ceiling),
  );
  windows.ledger = catchUp.profileWindowUs;
  results.peakRssMb.ledger = Math.max(results.peakRssMb.ledger ?? 0, catchUp.peakRssMb.ledger);

  const debits = await phase('payment-debit: debits per second through the Bixi sandbox at 20 ms latency', () =>
    runScript(join(root, 'apps', 'payment-debit', 'scripts', 'bench-debits.mjs'), {
      SANDBOX_LATENCY_MS: '20',
      BENCH_COMMANDS: quick ? '1000' : '8000',
      BENCH_CPU_PROF_DIR: profiles,
    }),
  );
  say(
    `   ${debits.debitsPerSecond} debits/s, bare-Node calls to the same sandbox ${debits.bareNodeCallsPerSecond}/s: ${debits.ratioToBare} of it`,
  );
  results.debit = debits;
  results.cpu.push(
    cpuPhase('debits through the sandbox', debits.debitsPerSecond, 'debit', debits.cpu.debits),
    cpuPhase('bare calls to the sandbox', debits.bareNodeCallsPerSecond, 'call', debits.cpu.bare),
  );
  windows['payment-debit'] = windows['bixi-sandbox'] = debits.profileWindowUs;
  Object.assign((results.peakRssMb ??= {}), debits.peakRssMb);
} finally {
  await deleteTopicsWithPrefix(testKafka('bench-cleanup'), process.env.KAFKA_TOPIC_PREFIX).catch((e) =>
    say(`could not delete the bench topics: ${e.message}`),
  );
  await down(infra.started);
}

results.phases = phases;
results.finishedAt = new Date().toISOString();
results.profiles = {};
for (const service of ['notification-ingest', 'ledger', 'payment-debit', 'bixi-sandbox']) {
  try {
    results.profiles[service] = topSelfTime(profilePath(profiles, service), root, windows[service]);
  } catch (error) {
    say(`no CPU profile for ${service}: ${error.message}`);
  }
}
results.ratios = ratioRows(results).map(({ measure, ratio, measured, ceiling, goal, met }) => ({
  measure,
  ratio,
  measured,
  ceiling,
  goal,
  met,
}));
writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2));
const md = markdown(results, quick);
writeFileSync(join(out, 'latest.md'), md);
process.stdout.write(`\n${md}\n`);
say(`written to ${out} (CPU profiles in ${profiles}; speedscope opens them)`);
