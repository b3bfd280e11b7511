import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, startService, type RunningService, type TestDatabase } from '@mm/testing';

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
