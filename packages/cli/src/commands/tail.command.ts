import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { kafkaFor, namespaceOf, topicPrefixOption } from '../kafka';

interface TailOptions {
  brokers: string;
  fromBeginning: boolean;
  limit?: string;
  topicPrefix: string;
}

export function registerTail(program: Command): void {
  program
    .command('tail')
    .description('print the messages of one or more topics as JSON lines (Ctrl-C to stop)')
    .argument('<topics...>', 'e.g. mm.payment.received.v1 mm.debit.result.v1')
    .option('--brokers <list>', 'Kafka brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--from-beginning', 'start at the oldest retained message', false)
    .option('--limit <n>', 'stop after n messages')
    .option(...topicPrefixOption)
    .action(async (topics: string[], o: TailOptions) => {
      const consumer = kafkaFor(o.brokers).consumer({ groupId: `mm-cli-tail-${randomUUID()}`, maxWaitTimeInMs: 200 });
      const limit = o.limit ? Number(o.limit) : Number.POSITIVE_INFINITY;
      let seen = 0;
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      process.once('SIGINT', () => stop());
      await consumer.connect();
      await consumer.subscribe({ topics: topics.map((t) => namespaceOf(o).topic(t)), fromBeginning: o.fromBeginning });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          if (seen >= limit) return;
          seen += 1;
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
          let value: unknown = message.value?.toString();
          try {
            value = JSON.parse(String(value));
          } catch {
            // not JSON: print it as text
          }
          process.stdout.write(
            `${JSON.stringify({ topic, partition, offset: message.offset, key: message.key?.toString(), headers, value })}\n`,
          );
          if (seen >= limit) stop();
        },
      });
      await stopped;
      await consumer.disconnect();
    });
}
