import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  adminDatabaseUrl,
  createTestDatabase,
  dedicatedKafka,
  queryOnce,
  signLikeSeed,
  startService,
  waitFor,
  type TestDatabase,
} from '@mm/testing';
import { entry } from './payments-stack';

const run = promisify(execFile);
const SECRET = 'ops-e2e-secret-for-customer-12000';
const CREDENTIALS = JSON.stringify({ '12000': { secrets: [SECRET], providers: ['200'] } });

const readiness = async (url: string) => {
  const res = await fetch(`${url}/health/ready`);
  return { status: res.status, body: (await res.json()) as { checks?: Record<string, { status: string }> } };
};

describe('operations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('ops');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to start on bad configuration, naming each bad variable and never its value', async () => {
    const failure = await run(process.execPath, [entry('ledger')], {
      env: { ...process.env, DATABASE_URL: 'mysql://root:hunter2@db/x', KAFKA_BROKERS: 'no-port', LEDGER_API_KEY: 'short' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'LEDGER_API_KEY']) expect(stderr).toContain(name);
    expect(stderr).not.toContain('hunter2');
  });

  it('readiness follows PostgreSQL going away and coming back', async () => {
    const ledger = await startService('ledger', entry('ledger'), {
      DATABASE_URL: db.url,
      LEDGER_API_KEY: 'ops-e2e-ledger-api-key-0123',
      LEDGER_CONSUMER_GROUP: `ledger-ops-${randomUUID()}`,
    });
    try {
      expect((await readiness(ledger.url)).status).toBe(200);
      await queryOnce(adminDatabaseUrl(), `alter database ${db.name} with allow_connections false`);
      await queryOnce(adminDatabaseUrl(), `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [db.name]);
      const down = await waitFor(async () => {
        const r = await readiness(ledger.url);
        return r.status === 503 ? r : undefined;
      });
      expect(down.body.checks?.postgres?.status).toBe('down');
      expect((await fetch(`${ledger.url}/health/live`)).status).toBe(200);
      await queryOnce(adminDatabaseUrl(), `alter database ${db.name} with allow_connections true`);
      await waitFor(async () => ((await readiness(ledger.url)).status === 200 ? true : undefined), 30_000);
    } finally {
      await queryOnce(adminDatabaseUrl(), `alter database ${db.name} with allow_connections true`);
      await ledger.stop();
    }
  });

  it('readiness follows Kafka stopping and starting (a private broker): ingest stays ready, Kafka shows degraded', async () => {
    const kafka = dedicatedKafka(19192);
    await kafka.start();
    const ingestDb = await createTestDatabase('ops_kafka');
    const ingest = await startService('notification-ingest', entry('notification-ingest'), {
      DATABASE_URL: ingestDb.url,
      KAFKA_BROKERS: kafka.brokers,
      INGEST_CREDENTIALS: CREDENTIALS,
    });
    try {
      await waitFor(async () => ((await readiness(ingest.url)).status === 200 ? true : undefined), 30_000);
      await kafka.stop();
      // Ingest can still store (its outbox keeps accepting), so it stays in the load balancer: 200, Kafka degraded.
      const degraded = await waitFor(async () => {
        const r = await readiness(ingest.url);
        return r.body.checks?.kafka?.status === 'degraded' ? r : undefined;
      }, 30_000);
      expect(degraded.status).toBe(200);
      expect(degraded.body.checks?.postgres?.status).toBe('up');
      await kafka.start();
      await waitFor(async () => {
        const r = await readiness(ingest.url);
        return r.status === 200 && r.body.checks?.kafka?.status === 'up' ? true : undefined;
      }, 60_000);
    } finally {
      await ingest.stop();
      await kafka.stop();
      await ingestDb.drop();
    }
  }, 240_000);

  it('a graceful shutdown under load loses no accepted notification', async () => {
    const ingestDb = await createTestDatabase('ops_shutdown');
    const env = { DATABASE_URL: ingestDb.url, INGEST_CREDENTIALS: CREDENTIALS, OUTBOX_POLL_MS: '200' };
    const ingest = await startService('notification-ingest', entry('notification-ingest'), env);
    const accepted = new Set<string>();
    let stopping = false;
    const client = async () => {
      while (!stopping || accepted.size === 0) {
        const body = JSON.stringify({ transactionId: `ops-${randomUUID()}`, amount: 100, currency: 'RWF' });
        const messageId = randomUUID();
        try {
          const res = await fetch(`${ingest.url}/mm/1.0/payments/payment/200/customers/12000/payments`, {
            method: 'POST',
            headers: {
              Authorization: signLikeSeed(SECRET, body, messageId, '200', '12000'),
              MessageID: messageId,
              MessageTimestamp: '20261123000000',
              'Content-Type': 'application/json',
            },
            body,
          });
          if (res.status === 200) accepted.add(((await res.json()) as { providerTransactionId: string }).providerTransactionId);
        } catch {
          if (stopping) return; // connection refused once the server closed: not accepted, nothing to check
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 1500));
    stopping = true;
    const exitCode = await ingest.stop();
    if (exitCode !== 0) process.stderr.write(ingest.output().slice(-3000));
    await Promise.all(clients);
    expect(exitCode).toBe(0);
    expect(accepted.size).toBeGreaterThan(0);
    const stored = await queryOnce<{ id: string }>(ingestDb.url, 'select id from ingest.notifications');
    expect(new Set(stored.map((r) => r.id))).toEqual(accepted);
    // Whatever the relay had not yet published is still in the outbox and goes out on the next start.
    const restarted = await startService('notification-ingest', entry('notification-ingest'), env);
    try {
      await waitFor(async () => {
        const [row] = await queryOnce<{ n: number }>(ingestDb.url, 'select count(*)::int as n from ingest.outbox where sent_at is null');
        return row!.n === 0 ? true : undefined;
      }, 30_000);
      const [outbox] = await queryOnce<{ n: number }>(ingestDb.url, 'select count(*)::int as n from ingest.outbox');
      expect(outbox!.n).toBe(accepted.size);
    } finally {
      await restarted.stop();
      await ingestDb.drop();
    }
  }, 120_000);
});
