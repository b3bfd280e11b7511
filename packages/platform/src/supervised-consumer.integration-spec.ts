import { randomUUID } from 'node:crypto';
import { testKafka, testProducer, waitFor } from '@mm/testing';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { SupervisedConsumer } from './supervised-consumer';

describe('SupervisedConsumer', () => {
  it('rebuilds a consumer that kafkajs would leave stopped after a non-retriable error, and redelivers the message', async () => {
    const kafka = testKafka('supervised-test');
    const topic = `mm.test.supervised.${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const seen: string[] = [];
    const membership: boolean[] = [];
    const logged: string[] = [];
    let failures = 0;
    const supervised = new SupervisedConsumer({
      kafka,
      config: { groupId: `supervised-${randomUUID()}`, maxWaitTimeInMs: 100 },
      subscription: { topics: [topic], fromBeginning: true },
      run: {
        eachMessage: async ({ message }) => {
          if (failures === 0) {
            failures += 1;
            throw new KafkaJSNonRetriableError('the coordinator is not aware of this member');
          }
          seen.push(message.value!.toString());
        },
      },
      logger: { error: (_d, m) => logged.push(m), warn: (_d, m) => logged.push(m) },
      onMembership: (joined) => membership.push(joined),
    });
    const producer = testProducer(kafka);
    await producer.connect();
    try {
      await supervised.start();
      await producer.send({ topic, messages: [{ value: 'debit-1' }] });
      await waitFor(() => (seen.includes('debit-1') ? true : undefined), 60_000);
      expect(failures).toBe(1);
      expect(logged).toContain('consumer crashed without restarting; rebuilding it');
      expect(membership).toEqual(expect.arrayContaining([true, false]));
      expect(membership[membership.length - 1]).toBe(true);
    } finally {
      await producer.disconnect();
      await supervised.stop();
    }
  }, 90_000);
});
