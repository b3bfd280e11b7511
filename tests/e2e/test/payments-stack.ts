import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, startService, waitFor, type RunningService, type TestDatabase } from '@mm/testing';

export const entry = (app: string) => join(__dirname, '..', '..', '..', 'apps', app, 'dist', 'main.js');

export interface PaymentsStack {
  ingest: RunningService;
  ledger: RunningService;
  ingestDb: TestDatabase;
  ledgerDb: TestDatabase;
  stop(): Promise<void>;
}

/** notification-ingest and the ledger as processes, each on a throwaway database, the ledger in a fresh group. */
export async function startPaymentsStack(name: string, secret: string, ledgerApiKey: string): Promise<PaymentsStack> {
  const [ingestDb, ledgerDb] = await Promise.all([createTestDatabase(`${name}_ingest`), createTestDatabase(`${name}_ledger`)]);
  const [ingest, ledger] = await Promise.all([
    startService('notification-ingest', entry('notification-ingest'), {
      DATABASE_URL: ingestDb.url,
      INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: [secret], providers: ['200'] } }),
      OUTBOX_POLL_MS: '200',
    }),
    startService('ledger', entry('ledger'), {
      DATABASE_URL: ledgerDb.url,
      LEDGER_API_KEY: ledgerApiKey,
      LEDGER_CONSUMER_GROUP: `ledger-${name}-${randomUUID()}`,
    }),
  ]);
  return {
    ingest,
    ledger,
    ingestDb,
    ledgerDb,
    async stop() {
      await Promise.allSettled([ingest.stop(), ledger.stop()]);
      await Promise.allSettled([ingestDb.drop(), ledgerDb.drop()]);
    },
  };
}

export interface DebitStack {
  sandbox: RunningService;
  debit: RunningService;
  ledger: RunningService;
  debitDb: TestDatabase;
  ledgerDb: TestDatabase;
  stop(): Promise<void>;
}

/** The Bixi sandbox, payment-debit (ready: consumer joined) and the ledger as processes, each service on its own database. */
export async function startDebitStack(
  name: string,
  keys: { bixiToken: string; debitApiKey: string; ledgerApiKey: string },
): Promise<DebitStack> {
  const [debitDb, ledgerDb] = await Promise.all([createTestDatabase(`${name}_debit`), createTestDatabase(`${name}_ledger`)]);
  const sandbox = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: keys.bixiToken });
  const [debit, ledger] = await Promise.all([
    startService('payment-debit', entry('payment-debit'), {
      DATABASE_URL: debitDb.url,
      BIXI_BASE_URL: sandbox.url,
      BIXI_API_TOKEN: keys.bixiToken,
      DEBIT_API_KEY: keys.debitApiKey,
      DEBIT_CONSUMER_GROUP: `payment-debit-${name}-${randomUUID()}`,
      OUTBOX_POLL_MS: '200',
    }),
    startService('ledger', entry('ledger'), {
      DATABASE_URL: ledgerDb.url,
      LEDGER_API_KEY: keys.ledgerApiKey,
      LEDGER_CONSUMER_GROUP: `ledger-${name}-${randomUUID()}`,
    }),
  ]);
  await waitFor(async () => ((await fetch(`${debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
  return {
    sandbox,
    debit,
    ledger,
    debitDb,
    ledgerDb,
    async stop() {
      await Promise.allSettled([debit.stop(), ledger.stop(), sandbox.stop()]);
      await Promise.allSettled([debitDb.drop(), ledgerDb.drop()]);
    },
  };
}
