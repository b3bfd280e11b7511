#!/usr/bin/env node
// Debits per second through the Bixi sandbox: publishes BENCH_COMMANDS DebitRequested commands over BENCH_ACCOUNTS
// accounts and times first publish → last result on mm.debit.result.v1, with the sandbox answering after
// SANDBOX_LATENCY_MS. Also measures, in the same run, a bare Node loop calling the sandbox at the same concurrency
// (the ceiling the service is measured against). Needs the built apps and a running Kafka and PostgreSQL
// (KAFKA_BROKERS, DATABASE_URL). Usage: node apps/payment-debit/scripts/bench-debits.mjs
// BENCH_CPU_PROF_DIR writes payment-debit's and the sandbox's CPU profiles there (<service>.cpuprofile).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const {
  INFRA_PROCESSES,
  sampleProcessCpu,
  createTestDatabase,
  deleteTopicsWithPrefix,
  peakRssMb,
  queryOnce,
  startService,
  testKafka,
  testProducer,
  collectMessages,
  waitFor,
} = require('@mm/testing');
const { createEnvelope, toKafkaMessage, uuidv7, Topics, TopicNamespace } = require('@mm/contracts');

const here = dirname(fileURLToPath(import.meta.url));
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
const LATENCY = process.env.SANDBOX_LATENCY_MS ?? '20';
const IN_FLIGHT = process.env.DEBIT_MAX_IN_FLIGHT ?? '128';
const TOKEN = 'bench-bixi-token-0001';
// The database's own counters; a backend reports them as its connection closes, so they are read after the service stops.
const TRANSACTIONS_SQL = `select xact_commit::int as commits, (tup_inserted + tup_updated + tup_deleted)::int as written
                            from pg_stat_database where datname = current_database()`;
const PROFILES = process.env.BENCH_CPU_PROF_DIR;
const cpuProf = (name) => (PROFILES ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
// The bench's own topics (npm run bench passes its run's prefix): nothing it publishes reaches another environment.
const ns = new TopicNamespace(
  process.env.KAFKA_TOPIC_PREFIX?.startsWith('bench.') ? process.env.KAFKA_TOPIC_PREFIX : `bench.${randomUUID().slice(0, 8)}.`,
);
process.env.KAFKA_TOPIC_PREFIX = ns.prefix;

const db = await createTestDatabase('debit_bench');
const sandbox = await startService(
  'bixi-sandbox',
  join(here, '..', '..', 'bixi-sandbox', 'dist', 'main.js'),
  {
    BIXI_API_TOKEN: TOKEN,
    SANDBOX_LATENCY_MS: LATENCY,
  },
  60_000,
  cpuProf('bixi-sandbox'),
);
const debit = await startService(
  'payment-debit',
  join(here, '..', 'dist', 'main.js'),
  {
    DATABASE_URL: db.url,
    BIXI_BASE_URL: sandbox.url,
    BIXI_API_TOKEN: TOKEN,
    DEBIT_API_KEY: 'bench-debit-api-key-0001',
    DEBIT_CONSUMER_GROUP: `payment-debit-bench-${randomUUID()}`,
    DEBIT_MAX_IN_FLIGHT: IN_FLIGHT,
    HTTP_ACCESS_LOG: 'false',
    LOG_LEVEL: 'error',
  },
  60_000,
  cpuProf('payment-debit'),
);
const kafka = testKafka('debit-bench');
const producer = testProducer(kafka);
try {
  await waitFor(async () => ((await fetch(`${debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
  await producer.connect();
  const { messages, consumer } = await collectMessages(kafka, [ns.topic(Topics.DebitResult)], `debit-bench-observer-${randomUUID()}`);
  const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const ids = new Set();
  const events = Array.from({ length: COMMANDS }, (_, i) => {
    const data = {
      commandId: uuidv7(),
      accountNumber: `2547${base + (i % ACCOUNTS)}`,
      accountType: 'mmt',
      amount: { amountMinor: String(100 + (i % 900)), currency: 'USD' },
      receiptId: `B${i}`,
      description: 'bench debit',
    };
    ids.add(data.commandId);
    return toKafkaMessage(
      createEnvelope({ type: 'mm.debit.requested.v1', source: 'mm/bench', subject: data.commandId, data, correlationId: data.commandId }),
      data.accountNumber,
    );
  });
  const [before] = await queryOnce(db.url, TRANSACTIONS_SQL);
  const started = Date.now();
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const cpu = sampleProcessCpu({
    'payment-debit': debit.process.pid,
    'bixi-sandbox': sandbox.process.pid,
    ...INFRA_PROCESSES,
    'bench (producer, observer)': process.pid,
  });
  for (let i = 0; i < events.length; i += 500)
    await producer.send({ topic: ns.topic(Topics.DebitRequested), acks: -1, messages: events.slice(i, i + 500) });
  const seen = new Set();
  await waitFor(
    () => {
      for (const m of messages.splice(0)) {
        const id = JSON.parse(String(m.value)).data?.commandId;
        if (ids.has(id)) seen.add(id);
      }
      return seen.size === COMMANDS ? true : undefined;
    },
    600_000,
    50,
  );
  const seconds = (Date.now() - started) / 1000;
  const debitsCpu = cpu.stop();
  const profileWindowUs = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
  await consumer.disconnect();
  // Where a command's time goes: the mean Bixi call as payment-debit measured it.
  const metrics = await (await fetch(`${debit.url}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const bixiMeanMs = Math.round((1000 * metric('debit_bixi_call_seconds_sum')) / metric('debit_bixi_call_seconds_count'));
  const debitPeakRssMb = peakRssMb(debit.process.pid);
  await debit.stop(); // writes its CPU profile; the bare loop then has the machine to itself, as the service had
  const [after] = await queryOnce(db.url, TRANSACTIONS_SQL); // its connections' counters are flushed as they close

  // Bare-Node baseline: the same number of calls straight at the sandbox, IN_FLIGHT at a time, with node:http and a
  // keep-alive agent like the service's Bixi client (fetch costs the caller several times more CPU per call).
  const body = (i) =>
    JSON.stringify({
      data: {
        type: 'transactions',
        attributes: {
          memo: 'debit',
          accountNumber: `2547${base + (i % ACCOUNTS)}`,
          accountType: 'mmt',
          receiptId: `C${i}`,
          amount: 1.0,
          description: 'baseline',
        },
      },
    });
  const agent = new Agent({ keepAlive: true, maxSockets: Number(IN_FLIGHT) });
  const payUrl = new URL('/3.0/pay', sandbox.url);
  const call = (b) =>
    new Promise((resolve, reject) => {
      const req = request(
        payUrl,
        {
          method: 'POST',
          agent,
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            Authorization: `Bearer ${TOKEN}`,
            'Content-Length': Buffer.byteLength(b),
          },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(b);
    });
  let next = 0;
  const baselineStart = Date.now();
  const bareCpu = sampleProcessCpu({ 'bixi-sandbox': sandbox.process.pid, ...INFRA_PROCESSES, 'bench (bare loop)': process.pid });
  await Promise.all(
    Array.from({ length: Number(IN_FLIGHT) }, async () => {
      while (next < COMMANDS) await call(body(next++));
    }),
  );
  agent.destroy();
  const baselineSeconds = (Date.now() - baselineStart) / 1000;
  const baselineCpu = bareCpu.stop();

  const result = {
    commands: COMMANDS,
    accounts: ACCOUNTS,
    sandboxLatencyMs: Number(LATENCY),
    maxInFlight: Number(IN_FLIGHT),
    debitsPerSecond: Math.round(COMMANDS / seconds),
    ratioToBare: +(baselineSeconds / seconds).toFixed(3),
    seconds,
    bixiMeanMs,
    // Database round trips per debit: committed transactions (each autocommit statement is one) and rows written.
    transactionsPerCommand: +((after.commits - before.commits) / COMMANDS).toFixed(2),
    rowsWrittenPerCommand: +((after.written - before.written) / COMMANDS).toFixed(2),
    commandMeanMs: Math.round((1000 * seconds * Number(IN_FLIGHT)) / COMMANDS),
    bareNodeCallsPerSecond: Math.round(COMMANDS / baselineSeconds),
    theoreticalCeiling: Math.round(Number(IN_FLIGHT) / (Number(LATENCY) / 1000)),
    profileWindowUs,
    // Each process's share of one core during the debits and during the bare loop (% of one core; 200 is the box).
    cpu: { debits: debitsCpu, bare: baselineCpu },
    peakRssMb: { 'payment-debit': debitPeakRssMb, 'bixi-sandbox': peakRssMb(sandbox.process.pid) },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdout.write(
    `payment-debit: ${result.debitsPerSecond} debits/s through the sandbox at ${LATENCY} ms latency (bare Node: ${result.bareNodeCallsPerSecond} calls/s): ${result.ratioToBare} of it\n`,
  );
} finally {
  await producer.disconnect().catch(() => undefined);
  await Promise.allSettled([debit.stop(), sandbox.stop()]);
  await deleteTopicsWithPrefix(kafka, ns.prefix).catch(() => undefined);
  await db.drop();
}
