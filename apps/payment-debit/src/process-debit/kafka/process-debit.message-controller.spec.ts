import { createEnvelope, DEBIT_REQUESTED, toKafkaMessage, TopicNamespace, Topics, type DebitRequested } from '@mm/contracts';
import type { KafkaHandlerExtras } from '@mm/platform';
import { Logger } from '@nestjs/common';
import { PATTERN_EXTRAS_METADATA } from '@nestjs/microservices/constants';
import type { EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import { Registry } from 'prom-client';
import { debitCommand } from '../../../test/debit-harness';
import type { DebitConfig } from '../../config';
import type { ProcessDebitService } from '../process-debit.service';
import { debitTransport } from './debit-transport';
import { ProcessDebitMessageController } from './process-debit.message-controller';

const config = {
  DEBIT_CONSUMER_GROUP: 'g',
  DEBIT_CONSUMER_FROM_BEGINNING: false,
  DEBIT_SESSION_TIMEOUT_MS: 30_000,
  DEBIT_MAX_IN_FLIGHT: 4,
  DEBIT_POISON_MAX_ATTEMPTS: 3,
} as DebitConfig;
const namespace = new TopicNamespace();
beforeAll(() => Logger.overrideLogger(false));

const command = (accountNumber: string): DebitRequested => debitCommand({ accountNumber });
const kafkaMessage = (data: DebitRequested, offset: string): KafkaMessage => {
  const m = toKafkaMessage(
    createEnvelope({ type: DEBIT_REQUESTED, source: 's', subject: data.commandId, data, correlationId: 'c' }),
    data.accountNumber,
  );
  return { key: Buffer.from(String(m.key)), value: Buffer.from(String(m.value)), offset, timestamp: '0', attributes: 0, headers: {} };
};
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** payment-debit's transport and controller with a fake broker and processor: what is dead-lettered, committed, thrown back. */
function consumerWith(
  handle: (c: { commandId: string }) => Promise<unknown>,
  recordInvalid?: (c: { commandId: string }) => Promise<unknown>,
) {
  const dead: Message[] = [];
  const commits: string[] = [];
  const kafka = {
    producer: () => ({ send: async ({ messages }: { messages: Message[] }) => void dead.push(...messages) }),
  } as unknown as Kafka;
  const controller = new ProcessDebitMessageController({ handle, recordInvalid } as unknown as ProcessDebitService);
  const server = debitTransport(config, kafka, namespace, new Registry());
  const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, ProcessDebitMessageController.prototype.process) as KafkaHandlerExtras;
  server.addHandler(Topics.DebitRequested, ((m: never) => controller.process(m)) as never, true, extras);
  Reflect.set(server, 'supervised', {
    consumer: { commitOffsets: async (o: Array<{ offset: string }>) => void commits.push(o[0]!.offset) },
  });
  const run = (messages: KafkaMessage[]) =>
    server.handleBatch({
      batch: { topic: namespace.topic(Topics.DebitRequested), partition: 0, messages, highWatermark: '100' },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { dead, commits, run };
}

describe('payment-debit consumer error classification', () => {
  it.each([
    ['a NUL byte (22021)', '22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['a numeric out of range (22003)', '22003', 'value "1111111111111111111111111111111" is out of range for type bigint'],
  ])(
    'a command the database refuses as bad data, %s, is dead-lettered with the reason after DEBIT_POISON_MAX_ATTEMPTS; the account goes on',
    async (_name, code, message) => {
      const poison = command('252611000001');
      const next = command('252611000001');
      const attempts = new Map<string, number>();
      const consumer = consumerWith(async (c) => {
        attempts.set(c.commandId, (attempts.get(c.commandId) ?? 0) + 1);
        if (c.commandId === poison.commandId) throw pgError(code, message);
        return { kind: 'finished', state: 'APPROVED' };
      });
      await consumer.run([kafkaMessage(poison, '10'), kafkaMessage(next, '11')]);
      expect(attempts.get(poison.commandId)).toBe(3);
      expect(attempts.get(next.commandId)).toBe(1);
      expect(consumer.dead).toHaveLength(1);
      expect(String(consumer.dead[0]!.headers!.mm_dlq_reason)).toContain(`SQLSTATE ${code}`);
      expect(String(consumer.dead[0]!.headers!.mm_dlq_reason)).toContain('after 3 attempts');
      expect(consumer.commits.at(-1)).toBe('12');
    },
  );

  it.each([
    ['the database refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a serialization failure (40001)', pgError('40001', 'could not serialize access')],
    ['an error without a code', new Error('Connection terminated unexpectedly')],
  ])('%s is transient: the batch is handed back for redelivery, nothing is dead-lettered or committed past it', async (_name, error) => {
    const failing = command('252611000002');
    const consumer = consumerWith(async () => Promise.reject(error));
    await expect(consumer.run([kafkaMessage(failing, '20')])).rejects.toBe(error);
    expect(consumer.dead).toHaveLength(0);
    expect(consumer.commits).toEqual([]);
  });

  it('a commandId used for another debit is dead-lettered with the reason; an invalid command naming a commandId is recorded, not dead-lettered', async () => {
    const reused = command('252611000003');
    const invalid = { ...command('252611000004'), accountType: 'paypal' } as unknown as DebitRequested;
    const recorded: string[] = [];
    const consumer = consumerWith(
      async () => ({ kind: 'conflict' }),
      async (c) => void recorded.push(c.commandId),
    );
    await consumer.run([kafkaMessage(reused, '30'), kafkaMessage(invalid, '31')]);
    expect(recorded).toEqual([invalid.commandId]);
    expect(consumer.dead).toHaveLength(1);
    expect(String(consumer.dead[0]!.headers!.mm_dlq_reason)).toBe(`commandId ${reused.commandId} was already used for a different debit`);
    expect(consumer.commits.at(-1)).toBe('32');
  });
});
