import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  DEBIT_REQUESTED,
  dlqTopic,
  PAYMENT_RECEIVED,
  toKafkaMessage,
  TopicNamespace,
  Topics,
  type DebitRequested,
} from '@mm/contracts';
import { collectMessages, testKafka, testProducer, testTopicPrefix, waitFor } from '@mm/testing';
import { Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { ConsumerController } from './consumer-controller.decorator';
import { consumerMetricNames } from './consumer.metrics';
import { KafkaConsumerServer } from './kafka-consumer.server';
import type { MessageOutcome, ReceivedMessage } from './kafka-transport.types';

const handled: string[] = [];

/** A thin controller as the services write them: one bad-data refusal (SQLSTATE 22021) for the poisoned account. */
@ConsumerController()
class CommandsController {
  @EventPattern(Topics.DebitRequested, { queueBy: (m: ReceivedMessage) => String(m.key) })
  async handle(message: ReceivedMessage): Promise<MessageOutcome> {
    if (!message.parsed.ok || message.parsed.event.type !== DEBIT_REQUESTED) return { deadLetter: 'not a valid command' };
    if (message.parsed.event.data.accountNumber === 'poisoned') throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    handled.push(message.parsed.event.data.commandId);
  }
}

@Module({ controllers: [CommandsController] })
class CommandsModule {}

const command = (accountNumber: string): DebitRequested => ({
  commandId: randomUUID(),
  accountNumber,
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'R1',
  description: 'bill',
});

/** The transport under Nest on the real broker: handlers by @EventPattern, the topic gate, bounded attempts, the DLQ. */
describe('KafkaConsumerServer on the broker', () => {
  const namespace = new TopicNamespace(`${testTopicPrefix()}${randomUUID().slice(0, 8)}.`);
  const kafka = testKafka('transport-it');
  let app: INestMicroservice;
  let server: KafkaConsumerServer;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = new KafkaConsumerServer({
      kafka,
      namespace,
      groupId: 'transport-it',
      topics: [Topics.DebitRequested],
      dlqTopic: dlqTopic('payment-debit'),
      fromBeginning: true,
      consumer: { maxWaitTimeInMs: 100 },
      partitionsConsumedConcurrently: 2,
      maxInFlight: 4,
      poisonMaxAttempts: 2,
      provisioning: { replicationFactor: 1, minInsyncReplicas: 1 },
      registry: new Registry(),
      metricNames: consumerMetricNames('it'),
    });
    app = await NestFactory.createMicroservice(CommandsModule, { strategy: server, logger: false });
    await app.listen();
    await waitFor(
      async () =>
        (await server
          .readiness()
          .check()
          .then(
            () => true,
            () => undefined,
          ))
          ? true
          : undefined,
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    await app?.close();
  });

  it('handles commands, dead-letters a forged type and a command the database keeps refusing, and commits past them', async () => {
    const dlq = await collectMessages(kafka, [namespace.topic(dlqTopic('payment-debit'))], `dlq-${randomUUID()}`);
    const producer = testProducer(kafka);
    await producer.connect();
    const payment = createEnvelope({ type: PAYMENT_RECEIVED, source: 'forger', subject: 'x', data: {} as never, correlationId: 'c' });
    const poisoned = command('poisoned');
    const after = command('healthy');
    const ok = command('healthy');
    const event = (c: DebitRequested) =>
      createEnvelope({ type: DEBIT_REQUESTED, source: 's', subject: c.commandId, data: c, correlationId: 'c' });
    await producer.send({
      topic: namespace.topic(Topics.DebitRequested),
      acks: -1,
      messages: [
        { key: 'k', value: JSON.stringify(payment) },
        toKafkaMessage(event(poisoned), 'k'),
        toKafkaMessage(event(ok), 'k'),
        toKafkaMessage(event(after), 'k'),
      ],
    });
    await producer.disconnect();
    try {
      await waitFor(() => (dlq.messages.length >= 2 && handled.length >= 2 ? true : undefined), 60_000);
      expect(handled).toEqual([ok.commandId, after.commandId]);
      const reasons = dlq.messages.map((m) => String(m.headers?.mm_dlq_reason));
      expect(reasons[0]).toBe(`event type ${PAYMENT_RECEIVED} does not belong on topic ${Topics.DebitRequested}`);
      expect(reasons[1]).toMatch(/SQLSTATE 22021.*after 2 attempts/);
      const admin = kafka.admin();
      await admin.connect();
      const offsets = await waitFor(async () => {
        const [committed] = await admin.fetchOffsets({
          groupId: namespace.group('transport-it'),
          topics: [namespace.topic(Topics.DebitRequested)],
        });
        const total = (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
        return total === 4 ? total : undefined;
      }, 30_000);
      await admin.disconnect();
      expect(offsets).toBe(4);
    } finally {
      await dlq.consumer.disconnect();
    }
  }, 90_000);
});
