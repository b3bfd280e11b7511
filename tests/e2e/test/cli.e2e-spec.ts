import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, PAYMENT_RECEIVED, ServiceNames, Topics, toKafkaMessage, uuidv7 } from '@mm/contracts';
import { queryOnce, testKafka, testProducer, testTopic, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { startPaymentsStack, type PaymentsStack } from './payments-stack';

const run = promisify(execFile);
const MM = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'mm.js');
const SECRET = 'cli-e2e-secret-for-customer-12000';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const mm = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [MM, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });

/** The command-line tool driving a running stack, as an integrator and an operator would. */
describe('mm CLI against a running stack', () => {
  let stack: PaymentsStack;
  let ingest: RunningService;
  let ingestDb: TestDatabase;
  let ledgerDb: TestDatabase;

  beforeAll(async () => {
    stack = await startPaymentsStack('cli', SECRET, 'cli-e2e-ledger-api-key-0123');
    ({ ingest, ingestDb, ledgerDb } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('--help explains every command', async () => {
    const { stdout } = await mm(['--help']);
    for (const command of ['notify', 'debit', 'tail', 'dlq']) expect(stdout).toContain(command);
  });

  it('notify signs like a provider: 5 unique notifications are accepted and reach the ledger', async () => {
    const { stdout } = await mm(['notify', '--url', ingest.url, '--count', '5', '--amount', '150', '--currency', 'RWF'], {
      MM_INGEST_SECRET: SECRET,
    });
    expect(stdout).toContain('5 × HTTP 200');
    const ids = await queryOnce<{ id: string }>(ingestDb.url, 'select id from ingest.notifications');
    expect(ids).toHaveLength(5);
    await waitFor(async () => {
      const rows = await queryOnce<{ n: number }>(
        ledgerDb.url,
        `select count(*)::int as n from ledger.events where subject = any($1::text[])`,
        [ids.map((r) => r.id)],
      );
      return rows[0]!.n === 5 ? true : undefined;
    }, 30_000);
  });

  it('notify with the wrong secret exits non-zero and shows the 403', async () => {
    await expect(mm(['notify', '--url', ingest.url], { MM_INGEST_SECRET: 'not-the-right-secret-at-all' })).rejects.toMatchObject({
      stdout: expect.stringContaining('403'),
    });
  });

  it('dlq show lists dead letters with their reasons, and dlq replay sends a repaired event back to be booked once', async () => {
    // A dead-letter topic of its own inside this file's namespace, and a quarantine topic the poison came from.
    const dlq = testTopic(`mm.dlq.cli-e2e-${randomUUID().slice(0, 8)}.v1`);
    const quarantine = testTopic('mm.quarantine.cli-e2e.v1');
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [dlq, quarantine].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = testProducer(kafka);
    await producer.connect();
    try {
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
        topic: dlq,
        acks: -1,
        messages: [
          { key: 'poison', value: '{"not json', headers: { mm_dlq_topic: quarantine, mm_dlq_reason: 'invalid JSON: cut short' } },
          {
            ...message,
            headers: { ...message.headers, mm_dlq_topic: testTopic(Topics.PaymentReceived), mm_dlq_reason: 'ledger database was down' },
          },
        ],
      });
      const { stdout: shown } = await mm(['dlq', 'show', ServiceNames.Ledger, '--topic', dlq, '--brokers', brokers]);
      expect(shown).toContain('invalid JSON: cut short');
      expect(shown).toContain('ledger database was down');
      expect(shown).toContain('2 message(s) read');

      const { stdout } = await mm(['dlq', 'replay', ServiceNames.Ledger, '--topic', dlq, '--match', paymentId, '--brokers', brokers]);
      expect(stdout).toContain('2 message(s) read');
      expect(stdout).toContain('1 replayed, 1 not matched');
      await waitFor(async () => {
        const rows = await queryOnce(ledgerDb.url, 'select id from ledger.events where id = $1', [event.id]);
        return rows.length === 1 ? true : undefined;
      }, 30_000);
      // The message --match passed over stays replayable: the position stopped before it (offset 0), so the next
      // run reads both again; the payment's second copy is a duplicate the ledger ignores by event id.
      const rest = await mm(['dlq', 'replay', ServiceNames.Ledger, '--topic', dlq, '--brokers', brokers]);
      expect(rest.stdout).toContain('2 message(s) read');
      expect(rest.stdout).toContain('2 replayed');
      const quarantined = await mm(['tail', quarantine, '--from-beginning', '--limit', '1', '--brokers', brokers, '--topic-prefix', '']);
      expect(JSON.parse(quarantined.stdout.trim()).value).toBe('{"not json');
      // The replay position is committed: a third replay sends nothing again.
      const again = await mm(['dlq', 'replay', ServiceNames.Ledger, '--topic', dlq, '--brokers', brokers]);
      expect(again.stdout).toContain('0 message(s) read');
      const booked = await queryOnce<{ n: number }>(
        ledgerDb.url,
        'select count(*)::int as n from ledger.journal_entries where event_id = $1',
        [event.id],
      );
      expect(booked[0]!.n).toBe(1);
    } finally {
      await producer.disconnect();
    }
  });
});
