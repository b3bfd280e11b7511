import { createEnvelope, DEBIT_REQUESTED, toKafkaMessage, TopicNamespace, type DebitRequested } from '@mm/contracts';
import type { EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import type { DebitConfig } from '../config';
import type { DebitMetrics } from '../debit.metrics';
import type { ProcessDebitService } from '../debits/process-debit.service';
import { DebitConsumerService } from './debit-consumer.service';

const metrics = new Proxy({}, { get: () => ({ inc: () => undefined, dec: () => undefined, observe: () => undefined }) }) as unknown as DebitMetrics;
const config = { DEBIT_CONSUMER_GROUP: 'g', DEBIT_CONSUMER_FROM_BEGINNING: false, DEBIT_SESSION_TIMEOUT_MS: 30_000, DEBIT_MAX_IN_FLIGHT: 4, DEBIT_POISON_MAX_ATTEMPTS: 3 } as DebitConfig;

const command = (accountNumber: string): DebitRequested => ({
  commandId: crypto.randomUUID(),
  accountNumber,
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'R1',
  description: 'bill',
});
const kafkaMessage = (data: DebitRequested, offset: string): KafkaMessage => {
  const m = toKafkaMessage(createEnvelope({ type: DEBIT_REQUESTED, source: 's', subject: data.commandId, data, correlationId: 'c' }), data.accountNumber);
  return { key: Buffer.from(String(m.key)), value: Buffer.from(String(m.value)), offset, timestamp: '0', attributes: 0, headers: {} };
};
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The consumer with a fake broker and processor: what is dead-lettered, what is committed, what is thrown back. */
function consumerWith(handle: (c: { commandId: string }) => Promise<unknown>) {
  const dead: Message[] = [];
  const commits: string[] = [];
  const kafka = { producer: () => ({ send: async ({ messages }: { messages: Message[] }) => void dead.push(...messages) }) } as unknown as Kafka;
  const processor = { handle } as unknown as ProcessDebitService;
  const service = new DebitConsumerService(kafka, new TopicNamespace(), processor, config, metrics);
  Reflect.set(service, 'supervised', { consumer: { commitOffsets: async (o: Array<{ offset: string }>) => void commits.push(o[0]!.offset) } });
  const run = (messages: KafkaMessage[]) =>
    service.handleBatch({
      batch: { topic: 'mm.debit.requested.v1', partition: 0, messages, highWatermark: '100' },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { dead, commits, run };
}

describe('DebitConsumerService error classification', () => {
  it.each([
    ['a NUL byte (22021)', '22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['a numeric out of range (22003)', '22003', 'value "1111111111111111111111111111111" is out of range for type bigint'],
  ])('a command the database refuses as bad data, %s, is dead-lettered with the reason after DEBIT_POISON_MAX_ATTEMPTS; the account goes on', async (_name, code, message) => {
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
  });

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
});
