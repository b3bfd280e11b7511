import { randomUUID } from 'node:crypto';
import { DebitCommandPublisher, toMinorUnits, type AccountType } from '@mm/contracts';
import type { Command } from 'commander';
import { Partitioners } from 'kafkajs';
import { kafkaFor, namespaceOf, topicPrefixOption } from '../kafka';

interface DebitOptions {
  brokers: string;
  account: string;
  accountType: AccountType;
  amount: string;
  receipt: string;
  description: string;
  commandId?: string;
  topicPrefix: string;
}

export function registerDebit(program: Command): void {
  program
    .command('debit')
    .description('publish a DebitRequested command on Kafka, as an internal service would')
    .option('--brokers <list>', 'Kafka brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .requiredOption('--account <number>', 'account to debit, e.g. 252600000000')
    .option('--account-type <type>', 'mmt | bank | card | wallet | trc20', 'mmt')
    .requiredOption('--amount <usd>', 'amount in USD, at most 2 decimals, e.g. 1.01')
    .option('--receipt <id>', 'receiptId (1-11 characters)', 'CLI')
    .option('--description <text>', 'receipt description', 'Debit from the mm command line')
    .option('--command-id <uuid>', 'idempotency key (default: a new UUID)')
    .option(...topicPrefixOption)
    .action(async (o: DebitOptions) => {
      const kafka = kafkaFor(o.brokers);
      const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        const event = await new DebitCommandPublisher(producer, '/mm/cli', namespaceOf(o)).publish(
          {
            commandId: o.commandId ?? randomUUID(),
            accountNumber: o.account,
            accountType: o.accountType,
            amount: toMinorUnits(o.amount, 'USD'),
            receiptId: o.receipt,
            description: o.description,
            requestedBy: 'mm-cli',
          },
          { correlationId: randomUUID() },
        );
        process.stdout.write(`${JSON.stringify({ published: event.type, commandId: event.data.commandId, eventId: event.id })}\n`);
      } finally {
        await producer.disconnect();
      }
    });
}
