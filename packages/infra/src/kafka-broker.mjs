// The development Kafka broker started from the pinned Apache Kafka jars (Maven Central) with the local Java, in
// KRaft mode: jars fetched once into the cache, storage formatted once under the infra dir, PLAINTEXT or (with
// MM_KAFKA_SECURE=1) SASL_SSL with ACLs (see kafka-secure.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureSecureMaterial, scramFormatArgs, secureBrokerProperties } from './kafka-secure.mjs';
import { alive, log, portOpen, sleep, STATE, statePath } from './state.mjs';

export const KAFKA_VERSION = '3.9.1';
const SCALA_VERSION = '2.13';
const CACHE = process.env.MM_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mm');
const KAFKA_HOME = join(CACHE, `kafka_${SCALA_VERSION}-${KAFKA_VERSION}`);
export const KAFKA_PORT = Number(process.env.MM_KAFKA_PORT ?? 9092);
const KAFKA_CONTROLLER_PORT = KAFKA_PORT + 1;
/** MM_KAFKA_SECURE=1: a SASL_SSL (SCRAM-SHA-512) listener with ACLs instead of PLAINTEXT (see kafka-secure.mjs). */
export const KAFKA_SECURE = process.env.MM_KAFKA_SECURE === '1';

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
    [
      '-B',
      '--no-transfer-progress',
      '-f',
      join(KAFKA_HOME, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libs}`,
    ],
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
  writeFileSync(
    serverProps,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );
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

export async function startKafkaFromJars() {
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
  writeFileSync(
    statePath('kafka.json'),
    JSON.stringify({ pid: child.pid, mode: 'maven', version: KAFKA_VERSION, logsDir, secure: KAFKA_SECURE }),
  );
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
