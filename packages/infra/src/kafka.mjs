// Kafka for mm: KAFKA_BROKERS → the pinned jars run with the local Java (kafka-broker.mjs) → `docker compose up
// kafka` → stop with a message naming the three options. Every broker is proven by a produce/consume round trip.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { KAFKA_PORT, KAFKA_SECURE, KAFKA_VERSION, startKafkaFromJars } from './kafka-broker.mjs';
import { applyAcls, clientOptions } from './kafka-secure.mjs';
import { alive, has, log, portOpen, readJson, ROOT, sleep, statePath, withTimeout } from './state.mjs';

/** Readiness: a metadata request answers, a producer writes, and a consumer group joins and reads it back. */
async function proveKafka(brokers, security) {
  const { Kafka, logLevel, Partitioners } = (await import('kafkajs')).default;
  const auth = security ? clientOptions(security, 'admin') : {};
  const kafka = new Kafka({
    clientId: 'mm-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 200 },
    ...auth,
  });
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

/** The platform's topic provisioning and the contracts' namespace, once both packages are built; else undefined. */
function builtTopicProvisioner() {
  const require = createRequire(import.meta.url);
  let paths;
  try {
    paths = [require.resolve('@mm/platform/kafka-admin'), require.resolve('@mm/contracts')];
  } catch {
    return undefined; // not built yet
  }
  const [{ ensureTopics }, { TopicNamespace }] = paths.map((path) => require(path));
  return { ensureTopics, TopicNamespace };
}

/**
 * As the admin: the README's ACLs, and the mm topics (services are granted no CREATE, as in production, where the
 * operator provisions topics). Topics use the platform's ensureTopics when the packages are built.
 */
async function secureSetup(kafka) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
    await applyAcls(admin, prefix);
    const provisioner = builtTopicProvisioner();
    if (provisioner) {
      const { ensureTopics, TopicNamespace } = provisioner;
      const provisioning = {
        replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
        minInsyncReplicas: Number(process.env.KAFKA_MIN_INSYNC_REPLICAS ?? 1),
      };
      await ensureTopics(admin, new TopicNamespace(prefix), provisioning); // the same names the ACLs were given
      log(
        `Kafka: ACLs applied and mm topics provisioned (replication ${provisioning.replicationFactor}, min.insync.replicas ${provisioning.minInsyncReplicas})`,
      );
    } else {
      log('Kafka: ACLs applied; build @mm/platform and run `up` again to provision the mm topics');
    }
  } finally {
    await admin.disconnect();
  }
}

/** The secure broker's description (CA, users), or undefined for the PLAINTEXT broker. */
const recordedSecurity = () => (KAFKA_SECURE ? readJson(statePath('kafka-security.json')) : undefined);

export async function upKafka() {
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

export async function stopKafka() {
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

export async function kafkaStatus() {
  const kafka = readJson(statePath('kafka.json'));
  const up = await portOpen(KAFKA_PORT);
  return `kafka      ${up ? 'up' : 'down'} on 127.0.0.1:${KAFKA_PORT}${kafka ? ` (started by mm: ${kafka.mode}${kafka.pid ? `, pid ${kafka.pid}` : ''})` : ''}`;
}

/** The secure broker's description file, recorded for clients (MM_KAFKA_SECURITY_FILE), when that broker is in use. */
export const securityFile = () => (KAFKA_SECURE ? statePath('kafka-security.json') : undefined);
