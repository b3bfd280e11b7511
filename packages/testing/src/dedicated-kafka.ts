import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminDatabaseUrl } from './database';

const run = promisify(execFile);
const INFRA = join(__dirname, '..', '..', '..', 'scripts', 'infra.mjs');

export interface DedicatedKafka {
  brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second, private Kafka broker (same pinned jars, own port and data) that a test may stop and start
 * without disturbing the shared broker other suites use.
 */
export function dedicatedKafka(port: number): DedicatedKafka {
  const env = {
    ...process.env,
    MM_KAFKA_PORT: String(port),
    MM_INFRA_DIR: join('/tmp', `mm-kafka-${port}`),
    DATABASE_URL: adminDatabaseUrl(),
    KAFKA_BROKERS: '',
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
