import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, dlqTopic, PAYMENT_RECEIVED, ServiceNames, Topics, toKafkaMessage, uuidv7 } from '@mm/contracts';
import {
  createTestDatabase,
  queryOnce,
  startService,
  testKafka,
  testProducer,
  waitFor,
  type RunningService,
  type TestDatabase,
} from '@mm/testing';

const run = promisify(execFile);
const MM = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'mm.js');
const entry = (app: string) => join(__dirname, '..', '..', '..', 'apps', app, 'dist', 'main.js');
const SECRET = 'cli-e2e-secret-for-customer-12000';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const mm = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [MM, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });

/** The command-line tool driving a running stack, as an integrator and an operator would. */
describe('mm CLI against a running stack', () => {
  let ingestDb: TestDatabase;
  let ledgerDb: TestDatabase;
  let ingest: RunningService;
  let ledger: RunningService;

  beforeAll(async () => {
    [ingestDb, ledgerDb] = await Promise.all([createTestDatabase('cli_ingest'), createTestDatabase('cli_ledger')]);
    [ingest, ledger] = await Promise.all([
      startService('notification-ingest', entry('notification-ingest'), {
        DATABASE_URL: ingestDb.url,
        INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: [SECRET], providers: ['200'] } }),
        OUTBOX_POLL_MS: '200',
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: 'cli-e2e-ledger-api-key-0123',
        LEDGER_CONSUMER_GROUP: `ledger-cli-e2e-${randomUUID()}`,
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([ingest?.stop(), ledger?.stop()]);
    await Promise.allSettled([ingestDb?.drop(), ledgerDb?.drop()]);
  });

  it('--help explains every command', async () => {
    const { stdout } = await mm(['--help']);
    for (const command of ['notify', 'debit', 'tail', 'dlq']) expect(stdout).toContain(command);
  });

  it('notify signs like a provider: 5 unique notifications are accepted and reach the ledger', async () => {
    const { stdout } = await mm(['notify', '--url', ingest.url, '--count', '5', '--amount', '150', '--currency', 'RWF'], { MM_INGEST_SECRET: SECRET });
    expect(stdout).toContain('5 × HTTP 200');
    const ids = await queryOnce<{ id: string }>(ingestDb.url, 'select id from ingest.notifications');
    expect(ids).toHaveLength(5);
    await waitFor(async () => {
      const rows = await queryOnce<{ n: number }>(ledgerDb.url, `select count(*)::int as n from ledger.events where subject = any($1::text[])`, [ids.map((r) => r.id)]);
      return rows[0]!.n === 5 ? true : undefined;
    }, 30_000);
  });

  it('notify with the wrong secret exits non-zero and shows the 403', async () => {
    await expect(mm(['notify', '--url', ingest.url], { MM_INGEST_SECRET: 'not-the-right-secret-at-all' })).rejects.toMatchObject({
      stdout: expect.stringContaining('403'),
    });
  });

  it('dlq show lists a poison message with its reason, and dlq replay sends a repaired event back to be stored', async () => {
    const kafka = testKafka();
    const producer = testProducer(kafka);
    await producer.connect();
    try {
      const token = `poison-${randomUUID()}`;
      await producer.send({ topic: Topics.PaymentReceived, acks: -1, messages: [{ key: token, value: `{"not json ${token}` }] });
      const shown = await waitFor(async () => {
        const { stdout } = await mm(['dlq', 'show', ServiceNames.Ledger, '--brokers', brokers, '--limit', '1000000', '--match', token]);
        return stdout.includes(token) ? stdout : undefined;
      }, 30_000, 1000);
      expect(shown.split('\n').find((l) => l.includes(token))).toMatch(/invalid JSON/);

      // A valid event that was dead-lettered (say, during an outage) goes back to its topic and is booked once.
      const paymentId = uuidv7();
      const event = createEnvelope({
        type: PAYMENT_RECEIVED,
        source: '/e2e/cli',
        subject: paymentId,
        correlationId: randomUUID(),
        data: {
          paymentId,
          providerId: '200',
          customerId: '12000',
          messageId: randomUUID(),
          transactionId: `cli-${randomUUID()}`,
          amount: { amountMinor: '777', currency: 'RWF' as const },
          smsSupport: false,
          receivedAt: new Date().toISOString(),
        },
      });
      const message = toKafkaMessage(event, paymentId);
      await producer.send({
        topic: dlqTopic(ServiceNames.Ledger),
        acks: -1,
        messages: [{ ...message, headers: { ...message.headers, mm_dlq_topic: Topics.PaymentReceived, mm_dlq_reason: 'test' } }],
      });
      const { stdout } = await mm(['dlq', 'replay', ServiceNames.Ledger, '--brokers', brokers]);
      expect(stdout).toMatch(/[1-9][0-9]* message\(s\) replayed/);
      await waitFor(async () => {
        const rows = await queryOnce(ledgerDb.url, 'select id from ledger.events where id = $1', [event.id]);
        return rows.length === 1 ? true : undefined;
      }, 30_000);
    } finally {
      await producer.disconnect();
    }
  });
});
