import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, startService, type RunningService, type TestDatabase } from '@mm/testing';
import { seedOperators } from '../../src/cli/seed-operators';

const BIXI_TOKEN = 'console-test-bixi-token-0123456789';
const entry = (app: string) => join(__dirname, '..', '..', '..', app, 'dist', 'main.js');

export interface ConsoleStack {
  ingest: RunningService;
  ledger: RunningService;
  debit: RunningService;
  /** The Bixi sandbox payment-debit calls (its magic accounts misbehave on purpose; `/__sandbox/requests` records). */
  sandbox: RunningService;
  console: RunningService;
  passwords: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The real services as processes from their dist/ (ingest, payment-debit, ledger, then the console in front of them),
 * each on its own throwaway database, in this test file's Kafka namespace (KAFKA_TOPIC_PREFIX).
 */
export async function startConsoleStack(name: string, keys: { secret: string; ledger: string; debit: string }): Promise<ConsoleStack> {
  const dbs: TestDatabase[] = await Promise.all(['ingest', 'debit', 'ledger', 'console'].map((s) => createTestDatabase(`${name}_${s}`)));
  const [ingestDb, debitDb, ledgerDb, consoleDb] = dbs as [TestDatabase, TestDatabase, TestDatabase, TestDatabase];
  const started: RunningService[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    await Promise.allSettled(dbs.map((d) => d.drop()));
  };
  try {
    const sandbox = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: BIXI_TOKEN, SANDBOX_HOLD_MS: '5000' });
    started.push(sandbox);
    const [ingest, debit, ledger] = await Promise.all([
      startService('notification-ingest', entry('notification-ingest'), {
        DATABASE_URL: ingestDb.url,
        INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: [keys.secret], providers: ['200'] } }),
        OUTBOX_POLL_MS: '200',
      }),
      startService('payment-debit', entry('payment-debit'), {
        DATABASE_URL: debitDb.url,
        DEBIT_API_KEY: keys.debit,
        BIXI_BASE_URL: sandbox.url,
        BIXI_API_TOKEN: BIXI_TOKEN,
        // The sandbox's timeout account makes a debit UNKNOWN after this.
        BIXI_TIMEOUT_MS: '2000',
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: keys.ledger,
        LEDGER_CONSUMER_GROUP: `ledger-${name}-${randomUUID()}`,
      }),
    ]);
    started.push(ingest, debit, ledger);
    const seeded = await seedOperators({ DATABASE_URL: consoleDb.url });
    const console = await startService('console', entry('console'), {
      DATABASE_URL: consoleDb.url,
      CONSOLE_LEDGER_URL: ledger.url,
      CONSOLE_LEDGER_API_KEY: keys.ledger,
      CONSOLE_DEBIT_URL: debit.url,
      CONSOLE_DEBIT_API_KEY: keys.debit,
      CONSOLE_INGEST_URL: ingest.url,
    });
    started.push(console);
    const passwords = Object.fromEntries(seeded.filter((s) => s.password).map((s) => [s.username, s.password!]));
    return { ingest, ledger, debit, sandbox, console, passwords, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
