import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminDatabaseUrl } from './database';

const run = promisify(execFile);
/** The `mm-infra` command of @mm/infra (an ES module: run as a child process, not imported). */
const INFRA = require.resolve('@mm/infra/bin');

export interface DedicatedKafka {
  brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second, private Kafka broker (same pinned jars, own port and data) that a test may stop and start
 * without disturbing the shared broker other suites use.
 */
export function dedicatedKafka(port: number, extraEnv: Record<string, string> = {}): DedicatedKafka {
  const env = {
    ...process.env,
    MM_KAFKA_PORT: String(port),
    MM_INFRA_DIR: join('/tmp', `mm-kafka-${port}`),
    DATABASE_URL: adminDatabaseUrl(),
    KAFKA_BROKERS: '',
    // A dedicated broker is an environment of its own: its topics (and a secure broker's ACLs) use no namespace.
    KAFKA_TOPIC_PREFIX: '',
    ...extraEnv,
  };
  delete (env as Record<string, string | undefined>).KAFKA_BROKERS;
  return {
    brokers: `127.0.0.1:${port}`,
    async start() {
      await run(process.execPath, [INFRA, 'up'], { env, timeout: 180_000 });
    },
    async stop() {
      await run(process.execPath, [INFRA, 'down'], { env, timeout: 60_000 });
    },
  };
}

/** What `mm-infra up` records for the secure broker: its CA and the SCRAM-SHA-512 users' passwords. */
export interface KafkaSecurityDescription {
  brokers: string[];
  caFile: string;
  mechanism: 'scram-sha-512';
  users: Record<'admin' | 'notification-ingest' | 'payment-debit' | 'ledger' | 'debit-requester', string>;
}

export interface SecureKafka extends DedicatedKafka {
  /** Available after `start()`. */
  security(): KafkaSecurityDescription;
  /** The services' environment (kafkaEnv) for one user of the broker. */
  envFor(user: keyof KafkaSecurityDescription['users']): Record<string, string>;
}

/**
 * A private broker with a SASL_SSL (SCRAM-SHA-512) listener, StandardAuthorizer and the README's ACLs
 * (`MM_KAFKA_SECURE=1`). Its throwaway CA, keystores and passwords live in /tmp and are deleted by `stop()`.
 */
export function secureKafka(port: number): SecureKafka {
  const dir = join('/tmp', `mm-kafka-${port}`);
  // A leftover directory would hold another run's keys and storage formatted with other passwords.
  rmSync(dir, { recursive: true, force: true });
  const broker = dedicatedKafka(port, { MM_KAFKA_SECURE: '1', MM_KAFKA_HEAP: '384m' });
  let description: KafkaSecurityDescription | undefined;
  const security = () =>
    description ?? (description = JSON.parse(readFileSync(join(dir, 'kafka-security.json'), 'utf8')) as KafkaSecurityDescription);
  return {
    brokers: broker.brokers,
    start: () => broker.start(),
    async stop() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    security,
    envFor: (user) => ({
      KAFKA_BROKERS: broker.brokers,
      // The broker is this test's alone, and its ACLs name the contracts' topics: no namespace on it.
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: security().caFile,
      KAFKA_SASL_MECHANISM: security().mechanism,
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD: security().users[user],
    }),
  };
}
