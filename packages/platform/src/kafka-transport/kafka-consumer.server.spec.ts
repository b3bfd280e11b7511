import {
  createEnvelope,
  DEBIT_REQUESTED,
  PAYMENT_RECEIVED,
  toKafkaMessage,
  TopicNamespace,
  Topics,
  type DebitRequested,
  type MmEvent,
} from '@mm/contracts';
import { Logger } from '@nestjs/common';
import type { EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import { Registry } from 'prom-client';
import { throwError } from 'rxjs';
import { consumerMetricNames } from './consumer.metrics';
import { KafkaConsumerServer } from './kafka-consumer.server';
import type { BatchOutcome, KafkaHandlerExtras, MessageOutcome, ReceivedBatch, ReceivedMessage } from './kafka-transport.types';

const namespace = new TopicNamespace('test.unit.');
beforeAll(() => Logger.overrideLogger(false));
const command = (accountNumber: string): DebitRequested => ({
  commandId: crypto.randomUUID(),
  accountNumber,
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'R1',
  description: 'bill',
});
const commandEvent = (c: DebitRequested) =>
  createEnvelope({ type: DEBIT_REQUESTED, source: 's', subject: c.commandId, data: c, correlationId: 'c' }) as MmEvent;
const asKafka = (m: Message, offset: string): KafkaMessage => ({
  key: Buffer.from(String(m.key)),
  value: m.value === null ? null : Buffer.from(String(m.value)),
  offset,
  timestamp: '0',
  attributes: 0,
  headers: {},
});
const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** The transport on a fake broker: what is dead-lettered, what is committed, and its metrics. */
function transport(handler: (input: never) => Promise<unknown>, extras: KafkaHandlerExtras = {}, pattern: string = Topics.DebitRequested) {
  const dead: Message[] = [];
  const commits: string[] = [];
  const registry = new Registry();
  const kafka = {
    producer: () => ({ send: async ({ messages }: { messages: Message[] }) => void dead.push(...messages) }),
  } as unknown as Kafka;
  const server = new KafkaConsumerServer({
    kafka,
    namespace,
    groupId: 'g',
    topics: [pattern],
    dlqTopic: 'mm.dlq.unit.v1',
    fromBeginning: false,
    partitionsConsumedConcurrently: 1,
    maxInFlight: 4,
    poisonMaxAttempts: 3,
    provisioning: { replicationFactor: 1, minInsyncReplicas: 1 },
    registry,
    metricNames: consumerMetricNames('unit'),
  });
  server.addHandler(pattern, handler as never, true, extras);
  Reflect.set(server, 'supervised', {
    consumer: { commitOffsets: async (o: Array<{ offset: string }>) => void commits.push(o[0]!.offset) },
  });
  const run = (messages: KafkaMessage[], topic: string = Topics.DebitRequested, highWatermark = '100') =>
    server.handleBatch({
      batch: { topic: namespace.topic(topic), partition: 0, messages, highWatermark },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;
  return { dead, commits, run, metric };
}

describe('KafkaConsumerServer, message handlers', () => {
  it('dead-letters an event whose type belongs to another topic, never handling it, and commits past it', async () => {
    const handled: string[] = [];
    const t = transport(async (m: ReceivedMessage) => void handled.push(m.offset));
    const payment = createEnvelope({ type: PAYMENT_RECEIVED, source: 's', subject: 'x', data: {} as never, correlationId: 'c' });
    await t.run([
      asKafka({ key: 'k', value: JSON.stringify(payment) }, '5'),
      asKafka(toKafkaMessage(commandEvent(command('a')), 'a'), '6'),
    ]);
    expect(handled).toEqual(['6']);
    expect(String(t.dead[0]!.headers!.mm_dlq_reason)).toBe(
      `event type ${PAYMENT_RECEIVED} does not belong on topic ${Topics.DebitRequested}`,
    );
    expect(String(t.dead[0]!.headers!.mm_dlq_topic)).toBe(namespace.topic(Topics.DebitRequested));
    expect(t.commits).toEqual(['7']);
  });

  it('hands a schema-invalid message of the right type to the handler with the failure, and dead-letters what the handler refuses', async () => {
    const t = transport(async (m: ReceivedMessage): Promise<MessageOutcome> =>
      m.parsed.ok ? undefined : { deadLetter: `judged: ${m.parsed.reason}` },
    );
    const invalid = { ...commandEvent(command('a')), data: { commandId: crypto.randomUUID() } };
    await t.run([asKafka({ key: 'a', value: JSON.stringify(invalid) }, '0')]);
    expect(String(t.dead[0]!.headers!.mm_dlq_reason)).toMatch(/^judged: invalid mm.debit.requested.v1/);
    expect(t.commits).toEqual(['1']);
  });

  it('retries bad data a bounded number of times, dead-letters it with the reason, and the same queue goes on', async () => {
    const poison = commandEvent(command('acct'));
    const attempts = new Map<string, number>();
    const t = transport(async (m: ReceivedMessage) => {
      attempts.set(m.offset, (attempts.get(m.offset) ?? 0) + 1);
      // Errors reach the transport as Nest delivers them: an erroring observable (ConsumerController's filter).
      if (m.offset === '10') return throwError(() => pgError('22021'));
    });
    await t.run([asKafka(toKafkaMessage(poison, 'acct'), '10'), asKafka(toKafkaMessage(commandEvent(command('acct')), 'acct'), '11')]);
    expect(attempts.get('10')).toBe(3);
    expect(attempts.get('11')).toBe(1);
    expect(String(t.dead[0]!.headers!.mm_dlq_reason)).toContain('SQLSTATE 22021');
    expect(String(t.dead[0]!.headers!.mm_dlq_reason)).toContain('after 3 attempts');
    expect(String(t.dead[0]!.headers!.mm_dlq_event_id)).toBe(poison.id);
    expect(t.commits.at(-1)).toBe('12');
  });

  it('hands a transient fault back for redelivery without dead-lettering; the partition shows stuck and its lag keeps moving', async () => {
    let down = true;
    const t = transport(async () => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const messages = [asKafka(toKafkaMessage(commandEvent(command('a')), 'a'), '20')];
    await expect(t.run(messages, Topics.DebitRequested, '30')).rejects.toThrow('ECONNREFUSED');
    await expect(t.run(messages, Topics.DebitRequested, '45')).rejects.toThrow('ECONNREFUSED');
    expect(t.dead).toHaveLength(0);
    expect(t.commits).toEqual([]);
    expect(await t.metric('unit_consumer_partition_stuck')).toBe(1);
    expect(await t.metric('unit_consumer_lag')).toBe(25);
    down = false;
    await t.run(messages, Topics.DebitRequested, '46');
    expect(t.commits).toEqual(['21']);
    expect(await t.metric('unit_consumer_partition_stuck')).toBe(0);
    expect(await t.metric('unit_consumer_lag')).toBe(25);
  });

  it('commits only up to the lowest unfinished offset when a later queue finishes first', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const t = transport(async (m: ReceivedMessage) => (m.offset === '0' ? slow : undefined), { queueBy: (m) => String(m.key) });
    const running = t.run([
      asKafka(toKafkaMessage(commandEvent(command('a')), 'a'), '0'),
      asKafka(toKafkaMessage(commandEvent(command('b')), 'b'), '1'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one progress tick: offset 1 is done, 0 is not
    expect(t.commits).toEqual([]);
    release();
    await running;
    expect(t.commits).toEqual(['2']);
  });
});

describe('KafkaConsumerServer, batch handlers', () => {
  const payment = (customerId: string) =>
    createEnvelope({ type: PAYMENT_RECEIVED, source: 's', subject: customerId, data: { customerId } as never, correlationId: 'c' });

  it("gives the handler the admitted messages and dead-letters the gate's and the handler's refusals in offset order", async () => {
    const seen: string[][] = [];
    const t = transport(
      async (b: ReceivedBatch): Promise<BatchOutcome> => {
        seen.push(b.messages.map((m) => m.offset));
        return { rejected: [{ offset: '2', reason: 'handler says no' }] };
      },
      { batch: true },
      Topics.PaymentReceived,
    );
    await t.run(
      [
        asKafka({ key: 'k', value: JSON.stringify(payment('a')) }, '1'),
        asKafka({ key: 'k', value: JSON.stringify(payment('b')) }, '2'),
        asKafka({ key: 'k', value: null }, '0'),
      ],
      Topics.PaymentReceived,
    );
    expect(seen).toEqual([['1', '2']]);
    expect(t.dead.map((m) => String(m.headers!.mm_dlq_reason))).toEqual(['empty message value', 'handler says no']);
    expect(t.commits).toEqual(['1']);
  });

  it('splits a batch the database refuses as bad data and dead-letters only the message that keeps being refused', async () => {
    const stored: string[] = [];
    const t = transport(
      async (b: ReceivedBatch): Promise<BatchOutcome> => {
        if (b.messages.some((m) => m.offset === '4')) throw pgError('22P05');
        stored.push(...b.messages.map((m) => m.offset));
        return { rejected: [] };
      },
      { batch: true },
      Topics.PaymentReceived,
    );
    await t.run(
      ['3', '4', '5'].map((o) => asKafka({ key: 'k', value: JSON.stringify(payment(o)) }, o)),
      Topics.PaymentReceived,
    );
    expect(stored).toEqual(['3', '5']);
    expect(String(t.dead[0]!.headers!.mm_dlq_reason)).toContain('SQLSTATE 22P05');
    expect(t.commits).toEqual(['6']);
  });
});
