import { randomUUID } from 'node:crypto';
import { DEBIT_REQUESTED, DebitCommandPublisher, parseEvent, TopicNamespace, Topics } from '@mm/contracts';
import { collectMessages, testBrokers, testKafka, testTopicPrefix, waitFor } from '@mm/testing';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DebitCommandsModule } from './debit-commands.module';

/** Another service's use case: it only knows the typed publisher it is given. */
@Injectable()
class ChargeCustomer {
  constructor(private readonly commands: DebitCommandPublisher) {}

  charge(accountNumber: string) {
    const command = {
      commandId: randomUUID(),
      accountNumber,
      accountType: 'mmt' as const,
      amount: { amountMinor: '250', currency: 'USD' as const },
      receiptId: 'INV-1',
      description: 'invoice',
    };
    return this.commands.publish(command, { correlationId: `charge-${accountNumber}` });
  }
}

describe('DebitCommandsModule', () => {
  it('gives another Nest service the typed publisher by import and injection; the command lands on its namespaced topic', async () => {
    const namespace = new TopicNamespace(`${testTopicPrefix()}${randomUUID().slice(0, 8)}.`);
    const config = {
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: namespace.prefix,
      LOG_LEVEL: 'error',
      KAFKA_SSL: false,
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
    };

    @Module({ imports: [DebitCommandsModule.register({ config, clientId: 'billing' })], providers: [ChargeCustomer] })
    class BillingModule {}

    const kafka = testKafka('debit-commands-it');
    const topic = namespace.topic(Topics.DebitRequested);
    const collected = await collectMessages(kafka, [topic], `reader-${randomUUID()}`);
    const app = await NestFactory.createApplicationContext(BillingModule, { logger: false });
    try {
      await app.init();
      const sent = await app.get(ChargeCustomer).charge('252611000123');
      const [message] = await waitFor(() => (collected.messages.length > 0 ? collected.messages : undefined), 30_000);
      const parsed = parseEvent(message!.value, message!.headers, Topics.DebitRequested);
      expect(parsed.ok && parsed.event).toMatchObject({
        id: sent.id,
        type: DEBIT_REQUESTED,
        source: 'mm/billing',
        correlationid: 'charge-252611000123',
      });
      expect(message!.key?.toString()).toBe('252611000123');
    } finally {
      await app.close();
      await collected.consumer.disconnect();
    }
  }, 90_000);
});
