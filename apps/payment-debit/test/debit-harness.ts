import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  createEnvelope,
  DEBIT_REQUESTED,
  dlqTopic,
  ServiceNames,
  toKafkaMessage,
  Topics,
  uuidv7,
  type DebitRequested,
} from '@mm/contracts';
import { collectMessages, freePort, startService, testKafka, testProducer, testTopic, waitFor, type RunningService } from '@mm/testing';
import { OutboxNotifier } from '@mm/platform';
import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { loadDebitConfig } from '../src/config';
import { DEBIT_OUTBOX_CHANNEL } from '../src/data-source';
import { PgDebitRepository } from '../src/postgres/debit.pg-repository';

export const BIXI_TOKEN = 'bixi-test-token-0001';
export const API_KEY = 'debit-test-api-key-000001';
const root = join(__dirname, '..', '..');
export const SANDBOX_ENTRY = join(root, 'bixi-sandbox', 'dist', 'main.js');
export const DEBIT_ENTRY = join(root, 'payment-debit', 'dist', 'main.js');

export async function startSandbox(env: Record<string, string> = {}): Promise<RunningService> {
  return startService('bixi-sandbox', SANDBOX_ENTRY, { BIXI_API_TOKEN: BIXI_TOKEN, ...env });
}

/** Starts payment-debit against a database and a Bixi URL, and waits until its consumer has joined. */
export async function startDebit(databaseUrl: string, bixiUrl: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = await startService('payment-debit', DEBIT_ENTRY, {
    DATABASE_URL: databaseUrl,
    BIXI_BASE_URL: bixiUrl,
    BIXI_API_TOKEN: BIXI_TOKEN,
    DEBIT_API_KEY: API_KEY,
    DEBIT_CONSUMER_GROUP: `payment-debit-test-${randomUUID()}`,
    // Every test of a file shares the file's topics: a new instance starts at their end, not at earlier tests' commands.
    DEBIT_CONSUMER_FROM_BEGINNING: 'false',
    OUTBOX_POLL_MS: '200',
    HTTP_ACCESS_LOG: 'false',
    ...env,
  });
  await waitFor(async () => ((await fetch(`${service.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
  return service;
}

/** The repository as the app wires it (default batching): its commits wake the relay of a payment-debit running on the same database. */
export const pgDebitRepository = (dataSource: DataSource): PgDebitRepository =>
  new PgDebitRepository(
    dataSource,
    new OutboxNotifier(dataSource, DEBIT_OUTBOX_CHANNEL),
    loadDebitConfig({
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
      DEBIT_API_KEY: API_KEY,
      BIXI_BASE_URL: 'http://127.0.0.1:1',
      BIXI_API_TOKEN: BIXI_TOKEN,
    }),
  );

export const unusedUrl = async () => `http://127.0.0.1:${await freePort()}`;

let receiptSeq = 0;
/** Unique per run: receiptIds are what the sandbox recorder is queried by. */
export const newReceiptId = () => `${randomUUID().replace(/-/g, '').slice(0, 7)}${(receiptSeq++ % 10_000).toString().padStart(4, '0')}`;

export function debitCommand(overrides: Partial<DebitRequested> = {}): DebitRequested {
  return {
    commandId: uuidv7(),
    accountNumber: '+252611000001',
    accountType: 'mmt',
    amount: { amountMinor: '100', currency: 'USD' },
    receiptId: newReceiptId(),
    description: 'Receipt for sales bill No. 123456',
    ...overrides,
  };
}

/** Publishes commands as an internal service would (envelope, key = account), in one ordered send; `time` back-dates them. */
export async function publishCommands(producer: Producer, commands: unknown[], time?: Date): Promise<void> {
  await producer.send({
    topic: testTopic(Topics.DebitRequested),
    acks: -1,
    messages: commands.map((data) => {
      const d = data as DebitRequested;
      const event = createEnvelope({
        type: DEBIT_REQUESTED,
        source: 'mm/test',
        subject: String(d.commandId),
        data: d,
        correlationId: `corr-${String(d.commandId)}`,
        ...(time ? { time } : {}),
      });
      return toKafkaMessage(event as never, String(d.accountNumber ?? 'x'));
    }),
  });
}

export async function publishRaw(producer: Producer, value: string | Buffer | null, key = 'poison'): Promise<void> {
  await producer.send({ topic: testTopic(Topics.DebitRequested), acks: -1, messages: [{ key, value }] });
}

export interface Observed {
  results: KafkaMessage[];
  dlq: KafkaMessage[];
  consumer: Consumer;
  producer: Producer;
  close(): Promise<void>;
}

/** A producer for commands and a collector of results and dead letters (filtered by the caller's ids). */
export async function observe(): Promise<Observed> {
  const kafka = testKafka(`debit-test-${randomUUID()}`);
  const producer = testProducer(kafka);
  await producer.connect();
  const { messages, consumer } = await collectMessages(
    kafka,
    [testTopic(Topics.DebitResult), testTopic(dlqTopic(ServiceNames.Debit))],
    `debit-test-observer-${randomUUID()}`,
  );
  return {
    get results() {
      return messages.filter((m) => !m.headers?.mm_dlq_reason);
    },
    get dlq() {
      return messages.filter((m) => m.headers?.mm_dlq_reason);
    },
    consumer,
    producer,
    async close() {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    },
  };
}

export interface ResultEvent {
  id: string;
  type: string;
  correlationid: string;
  causationid?: string;
  data: Record<string, unknown> & { commandId: string };
}

export const resultsOf = (o: Observed, commandId: string): ResultEvent[] =>
  o.results.map((m) => JSON.parse(String(m.value)) as ResultEvent).filter((e) => e.data?.commandId === commandId);

export const waitForResult = (o: Observed, commandId: string, timeoutMs = 30_000): Promise<ResultEvent> =>
  waitFor(() => resultsOf(o, commandId)[0], timeoutMs, 50);

export interface SandboxRecord {
  seq: number;
  receiptId?: string;
  accountNumber?: string;
  requestId?: string;
  authorized: boolean;
  headers: { accept?: string; contentType?: string };
  body: unknown;
  behaviour: string;
}

export async function sandboxCalls(sandbox: RunningService, query: Record<string, string> = {}): Promise<SandboxRecord[]> {
  const res = await fetch(`${sandbox.url}/__sandbox/requests?${new URLSearchParams(query)}`);
  return ((await res.json()) as { requests: SandboxRecord[] }).requests;
}

export const api = (service: RunningService, path: string, init: RequestInit = {}) =>
  fetch(`${service.url}${path}`, {
    ...init,
    headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
