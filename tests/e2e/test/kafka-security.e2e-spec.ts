import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DebitCommandPublisher, Topics, TopicSpecs, toMinorUnits } from '@mm/contracts';
import { createKafka, createLogger, kafkaSecurityFromEnv } from '@mm/platform';
import {
  createTestDatabase,
  freePort,
  queryOnce,
  secureKafka,
  startService,
  waitFor,
  type RunningService,
  type SecureKafka,
  type TestDatabase,
} from '@mm/testing';
import { ConfigResourceTypes, Partitioners, type Kafka } from 'kafkajs';

const LEDGER_KEY = 'e2e-kafka-security-ledger-key-01';
/** kafkajs' text for the broker's TOPIC_AUTHORIZATION_FAILED. */
const DENIED = /Topic authorization failed/;
const MM = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'mm.js');
const entry = (app: string) => join(__dirname, '..', '..', '..', 'apps', app, 'dist', 'main.js');
const logger = createLogger('kafka-security-e2e', 'silent');

/**
 * A broker with only a SASL_SSL listener (SCRAM-SHA-512) and the README's ACLs: a built service works on it with its
 * own credentials from config, and clients without the right credentials, or writing a topic they may not, are refused.
 */
describe('Kafka security: TLS + SASL/SCRAM-SHA-512 + ACLs on a real broker', () => {
  let broker: SecureKafka;
  let db: TestDatabase;
  let ledger: RunningService | undefined;
  let startSeconds = 0;

  /** A client through platform's createKafka with the kafkaEnv variables of one user (or overrides). */
  const client = (env: Record<string, string | undefined>, retries = 2): Kafka =>
    createKafka({
      brokers: [broker.brokers],
      clientId: `kafka-security-e2e-${randomUUID().slice(0, 8)}`,
      logger,
      retry: { retries, initialRetryTime: 200 },
      ...kafkaSecurityFromEnv(env),
    });

  const ledgerTypes = (commandId: string) =>
    waitFor(
      async () => {
        const found = await queryOnce<{ type: string }>(db.url, 'select type from ledger.events where subject = $1', [commandId]);
        return found.length > 0 ? found.map((r) => r.type) : undefined;
      },
      90_000,
      250,
    );

  beforeAll(async () => {
    const started = Date.now();
    broker = secureKafka(await freePort());
    await broker.start();
    startSeconds = (Date.now() - started) / 1000;
    db = await createTestDatabase('kafka_security');
    ledger = await startService(
      'ledger',
      entry('ledger'),
      { DATABASE_URL: db.url, LEDGER_API_KEY: LEDGER_KEY, ...broker.envFor('ledger') },
      120_000,
    );
  }, 300_000);

  afterAll(async () => {
    await ledger?.stop();
    await Promise.allSettled([db?.drop(), broker?.stop()]);
  }, 120_000);

  it('starts the secure broker (reports its start time)', () => {
    console.log(`secure broker ready in ${startSeconds.toFixed(1)} s`);
    expect(startSeconds).toBeGreaterThan(0);
  });

  it('the ledger, configured with its SCRAM user and the CA, is ready and stores a command an authenticated producer published', async () => {
    await waitFor(async () => ((await fetch(`${ledger!.url}/health/ready`)).status === 200 ? true : undefined), 90_000, 250);
    const producer = client(broker.envFor('debit-requester')).producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const commandId = randomUUID();
    try {
      await new DebitCommandPublisher(producer, '/e2e/kafka-security').publish(
        {
          commandId,
          accountNumber: '+252600000042',
          accountType: 'mmt',
          amount: toMinorUnits('1.25', 'USD'),
          receiptId: 'SEC1',
          description: 'secure broker',
        },
        { correlationId: randomUUID() },
      );
    } finally {
      await producer.disconnect();
    }
    const types = await ledgerTypes(commandId).catch((error: Error) => {
      console.log(ledger!.output().slice(-4000));
      throw error;
    });
    expect(types).toEqual(['mm.debit.requested.v1']);
  }, 200_000);

  it('the CLI reads the same variables: `mm debit` as the command producer reaches the ledger', async () => {
    const commandId = randomUUID();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [MM, 'debit', '--brokers', broker.brokers, '--account', '+252600000043', '--amount', '2.50', '--command-id', commandId],
      {
        env: { ...process.env, ...broker.envFor('debit-requester') },
        timeout: 90_000,
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ commandId });
    expect(await ledgerTypes(commandId)).toEqual(['mm.debit.requested.v1']);
  }, 200_000);

  const refusal = async (kafka: Kafka): Promise<Error> => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
    } catch (error) {
      return error as Error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    throw new Error('the broker accepted the client');
  };

  it('refuses a client without credentials, with a wrong password, and one without TLS', async () => {
    const ledgerEnv = broker.envFor('ledger');
    const tlsOnly = { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ledgerEnv.KAFKA_SSL_CA_FILE };
    expect(await refusal(client(tlsOnly, 0))).toBeInstanceOf(Error);
    const wrong = await refusal(client({ ...ledgerEnv, KAFKA_SASL_PASSWORD: 'not-the-password' }, 0));
    expect(wrong.name).toBe('KafkaJSSASLAuthenticationError');
    expect(
      await refusal(
        client(
          { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ledger', KAFKA_SASL_PASSWORD: ledgerEnv.KAFKA_SASL_PASSWORD },
          0,
        ),
      ),
    ).toBeInstanceOf(Error);
  }, 120_000);

  /** Writes one message as `user`: 'written', or why the broker refused it. */
  const send = async (user: 'debit-requester' | 'ledger' | 'payment-debit', topic: string): Promise<string> => {
    const producer = client(broker.envFor(user), 0).producer({ createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: 'acl', value: 'acl probe' }] });
      return 'written';
    } catch (error) {
      // kafkajs reports a metadata refusal by its message only (no `type` on the thrown error).
      return (error as Error).message;
    } finally {
      await producer.disconnect();
    }
  };

  it('ACLs: a command producer may write commands but not results or payments; the ledger may not write commands', async () => {
    expect(await send('debit-requester', Topics.DebitResult)).toMatch(DENIED);
    expect(await send('debit-requester', Topics.PaymentReceived)).toMatch(DENIED);
    expect(await send('ledger', Topics.DebitRequested)).toMatch(DENIED);
    // The same path succeeds where the ACLs allow it, so the refusals above are authorization, not breakage.
    expect(await send('debit-requester', Topics.DebitRequested)).toBe('written');
    expect(await send('payment-debit', Topics.DebitResult)).toBe('written');
  }, 120_000);

  it('ACLs: only the ledger writes its corrections topic', async () => {
    expect(await send('debit-requester', Topics.LedgerCorrection)).toMatch(DENIED);
    expect(await send('payment-debit', Topics.LedgerCorrection)).toMatch(DENIED);
    expect(await send('ledger', Topics.LedgerCorrection)).toBe('written');
  }, 120_000);

  it('topics were provisioned by ensureTopics with min.insync.replicas as a topic config (not the broker default)', async () => {
    const admin = client(broker.envFor('admin')).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: TopicSpecs.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic, configNames: ['min.insync.replicas'] })),
      });
      expect(resources).toHaveLength(TopicSpecs.length);
      for (const resource of resources) {
        const entry = resource.configEntries.find((e) => e.configName === 'min.insync.replicas');
        expect({ topic: resource.resourceName, value: entry?.configValue, isDefault: entry?.isDefault }).toEqual({
          topic: resource.resourceName,
          value: '1',
          isDefault: false,
        });
      }
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
