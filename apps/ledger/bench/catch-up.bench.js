#!/usr/bin/env node
// Ledger catch-up benchmark: publishes a backlog of N events (default 100,000: payments, debit requests and
// approvals with charges) to a fresh set of topics, then starts the built ledger (dist/main.js) with a fresh
// consumer group and database and measures events persisted per second while it catches up.
//   npm run bench:catch-up -w @mm/ledger            (after `npx turbo run build`)
//   BENCH_EVENTS=20000 BENCH_PARTITIONS=6 node apps/ledger/bench/catch-up.bench.js
// Needs KAFKA_BROKERS and DATABASE_URL like the tests (defaults: 127.0.0.1:9092 and the local PostgreSQL).
// Then, in the same run, the ceiling: COPY of the same booked rows into a freshly migrated database (copy-ceiling.js);
// catch-up is reported as a ratio to it. BENCH_CPU_PROF_DIR writes the ledger's CPU profile there (ledger.cpuprofile).
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { createEnvelope, dlqTopic, ServiceNames, toKafkaMessage, TopicNamespace, Topics, uuidv4, uuidv7 } = require('@mm/contracts');
const {
  INFRA_PROCESSES,
  createTestDatabase,
  peakRssMb,
  queryOnce,
  sampleProcessCpu,
  startService,
  testKafka,
  testProducer,
} = require('@mm/testing');
const { copyCeiling } = require('./copy-ceiling');

const TOTAL = Number(process.env.BENCH_EVENTS ?? 100_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const EXTRA_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('LEDGER_') && k !== 'LEDGER_TOPICS'));
const log = (msg) => process.stdout.write(`[bench] ${msg}\n`);

function makeEvents(n) {
  const out = [];
  for (let i = 0; out.length < n; i++) {
    if (i % 10 < 7) {
      const paymentId = uuidv7();
      out.push(
        createEnvelope({
          type: 'mm.payment.received.v1',
          source: '/bench',
          subject: paymentId,
          correlationId: uuidv4(),
          data: {
            paymentId,
            providerId: String(200 + (i % 5)),
            customerId: `bench-${i % 1000}`,
            messageId: uuidv4(),
            transactionId: `tx-${i}`,
            amount: { amountMinor: String(100 + (i % 10_000)), currency: ['RWF', 'KES', 'USD'][i % 3] },
            subscriberMsisdn: '+250786474859',
            operator: 'Mobile_provider',
            smsSupport: true,
            receivedAt: new Date().toISOString(),
          },
        }),
      );
    } else {
      const commandId = uuidv4();
      const base = {
        commandId,
        accountNumber: `2526${String(i % 5000).padStart(8, '0')}`,
        accountType: 'mmt',
        amount: { amountMinor: '100', currency: 'USD' },
        receiptId: '123456',
      };
      out.push(
        createEnvelope({
          type: 'mm.debit.requested.v1',
          source: '/bench',
          subject: commandId,
          correlationId: uuidv4(),
          data: { ...base, description: 'bench' },
        }),
      );
      if (out.length < n)
        out.push(
          createEnvelope({
            type: 'mm.debit.approved.v1',
            source: '/bench',
            subject: commandId,
            correlationId: uuidv4(),
            data: {
              ...base,
              bixiTransactionId: uuidv4(),
              issuer: 'hormuud',
              charges: { amountMinor: '3', currency: 'USD' },
              total: { amountMinor: '97', currency: 'USD' },
            },
          }),
        );
    }
  }
  return out;
}

/** Node's options that write a service's CPU profile into BENCH_CPU_PROF_DIR when it exits (none without it). */
const cpuProfArgs = (name) =>
  process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];

/** Now on the clock of a .cpuprofile's timestamps (µs), to mark the catch-up's window in the ledger's profile. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Sum of `ledger_events_stored_total` over its topics, from the Prometheus text. */
function storedSoFar(metrics) {
  let sum = 0;
  for (const m of metrics.matchAll(/^ledger_events_stored_total\{[^}]*\} (\d+)$/gm)) sum += Number(m[1]);
  return sum;
}

async function main() {
  const tag = randomBytes(4).toString('hex');
  // A namespace of its own: the ledger reads the contracts' topics inside it (and only those types from each).
  const ns = new TopicNamespace(
    process.env.KAFKA_TOPIC_PREFIX?.startsWith('bench.') ? `${process.env.KAFKA_TOPIC_PREFIX}catch-up-${tag}.` : `bench.catch-up-${tag}.`,
  );
  const topics = {
    'mm.payment.received.v1': ns.topic(Topics.PaymentReceived),
    'mm.debit.requested.v1': ns.topic(Topics.DebitRequested),
    result: ns.topic(Topics.DebitResult),
  };
  const dlq = ns.topic(dlqTopic(ServiceNames.Ledger));
  const topicOf = (e) => topics[e.type] ?? topics.result;
  const kafka = testKafka(`ledger-bench-${tag}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...Object.values(topics).map((topic) => ({ topic, numPartitions: PARTITIONS })), { topic: dlq, numPartitions: 1 }],
  });
  const db = await createTestDatabase('ledger_bench');
  const producer = testProducer(kafka);
  await producer.connect();
  let ledger;
  try {
    const events = makeEvents(TOTAL);
    const t0 = Date.now();
    const byTopic = new Map();
    for (const e of events) {
      const key = e.data.accountNumber ?? e.data.customerId;
      if (!byTopic.has(topicOf(e))) byTopic.set(topicOf(e), []);
      byTopic.get(topicOf(e)).push(toKafkaMessage(e, key));
    }
    for (const [topic, messages] of byTopic)
      for (let i = 0; i < messages.length; i += 5000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 5000) });
    log(`published a backlog of ${TOTAL} events on ${PARTITIONS} partitions x 3 topics in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const started = Date.now();
    ledger = await startService(
      'ledger',
      join(__dirname, '..', 'dist', 'main.js'),
      {
        DATABASE_URL: db.url,
        LEDGER_API_KEY: 'bench-api-key-0123456789',
        LEDGER_CONSUMER_GROUP: `ledger-bench-${tag}`,
        KAFKA_TOPIC_PREFIX: ns.prefix,
        LOG_LEVEL: 'warn',
        HTTP_ACCESS_LOG: 'false',
        ...EXTRA_ENV,
      },
      60_000,
      cpuProfArgs('ledger'),
    );
    log(`ledger started in ${((Date.now() - started) / 1000).toFixed(1)} s; catching up…`);
    let first = 0;
    let firstUs = 0;
    let count = 0;
    let cpu;
    let lastReport = Date.now();
    while (count < TOTAL) {
      await new Promise((r) => setTimeout(r, 100));
      // From the ledger's own counter: a count(*) over the growing table every 100 ms took PostgreSQL CPU from the
      // very work being measured. The final count is checked in the database below.
      count = storedSoFar(await (await fetch(`${ledger.url}/metrics`)).text());
      if (count > 0 && !first) {
        first = Date.now();
        firstUs = monotonicUs();
        cpu = sampleProcessCpu({ ledger: ledger.process.pid, ...INFRA_PROCESSES, 'bench (metrics polls)': process.pid });
      }
      if (Date.now() - lastReport > 2000) {
        log(`  ${count}/${TOTAL} persisted`);
        lastReport = Date.now();
      }
      if (Date.now() - started > 600_000) throw new Error(`gave up after 10 minutes at ${count} events`);
    }
    const done = Date.now();
    const catchUpCpu = cpu?.stop();
    const profileWindowUs = { fromUs: firstUs, toUs: monotonicUs() };
    const [{ stored }] = await queryOnce(db.url, 'select count(*)::int as stored from ledger.events');
    if (stored !== TOTAL) throw new Error(`the ledger reported ${count} events stored but the database holds ${stored}`);
    const [{ postings }] = await queryOnce(db.url, 'select count(*)::int as postings from ledger.postings');
    const rate = Math.round(TOTAL / ((done - first) / 1000));
    log(`persisted ${TOTAL} events (${postings} postings) in ${((done - first) / 1000).toFixed(2)} s from the first stored event`);
    log(`including start-up: ${((done - started) / 1000).toFixed(2)} s`);
    const peak = peakRssMb(ledger.process.pid);
    await ledger.stop(); // writes its CPU profile; the ceiling below then has the machine to itself
    ledger = undefined;
    const copyCpu = sampleProcessCpu({ ...INFRA_PROCESSES, 'bench (COPY client)': process.pid });
    const ceiling = await copyCeiling(db.url);
    const ceilingCpu = copyCpu.stop();
    // Both moved the same rows: the ratio of their rates is the ratio of their times.
    const catchUpRowsPerSecond = Math.round(ceiling.rows / ((done - first) / 1000));
    const ratio = +(catchUpRowsPerSecond / ceiling.rowsPerSecond).toFixed(3);
    log(
      `COPY ceiling: ${ceiling.rowsPerSecond} rows/s (${ceiling.rows} rows over ${ceiling.shards} connections in ${ceiling.seconds.toFixed(2)} s)`,
    );
    process.stdout.write(
      `${JSON.stringify({ events: TOTAL, postings, seconds: (done - first) / 1000, eventsPerSecond: rate, rowsPerSecond: catchUpRowsPerSecond, copyCeiling: ceiling, ratioToCeiling: ratio, profileWindowUs, peakRssMb: { ledger: peak }, cpu: { catchUp: catchUpCpu, ceiling: ceilingCpu } })}\n`,
    );
    process.stdout.write(`ledger catch-up: ${rate} events/s, ${ratio} of the COPY ceiling\n`);
  } finally {
    await ledger?.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [...Object.values(topics), dlq] }).catch(() => undefined);
    await admin.disconnect();
    await db.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
