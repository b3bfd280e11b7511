import { randomUUID } from 'node:crypto';
import { dlqTopic } from '@mm/contracts';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Partitioners, type KafkaMessage } from 'kafkajs';
import { kafkaFor, namespaceOf, readToEnd, topicPrefixOption } from '../kafka';

const header = (headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined, name: string) => {
  const v = headers?.[name];
  return (Array.isArray(v) ? v[0] : v)?.toString();
};

/** Whether a dead-lettered message's reason, key or value contains `text` (every message when no text is given). */
export const matches = (message: KafkaMessage, text: string | undefined): boolean =>
  !text || `${header(message.headers, 'mm_dlq_reason')} ${message.key?.toString()} ${message.value?.toString()}`.includes(text);

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description("inspect and replay a service's dead-letter topic (mm.dlq.<service>.v1)");

  dlq
    .command('show')
    .description('list the dead-lettered messages with their reasons (read-only)')
    .argument('<service>', 'ledger | payment-debit | notification-ingest')
    .option('--brokers <list>', 'Kafka brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--topic <name>', 'read this dead-letter topic instead of mm.dlq.<service>.v1')
    .option(...topicPrefixOption)
    .option('--limit <n>', 'read at most n messages', '100')
    .option('--match <text>', 'show only messages whose reason, key or value contains this text')
    .action(async (service: string, o: { brokers: string; limit: string; match?: string; topic?: string; topicPrefix: string }) => {
      const topic = o.topic ?? namespaceOf(o).topic(dlqTopic(service));
      const count = await readToEnd(
        kafkaFor(o.brokers),
        topic,
        `mm-cli-dlq-show-${randomUUID()}`,
        async ({ partition, message }) => {
          const h = message.headers;
          if (!matches(message, o.match)) return;
          process.stdout.write(
            `${JSON.stringify({
              dlqOffset: `${partition}:${message.offset}`,
              reason: header(h, 'mm_dlq_reason'),
              from: `${header(h, 'mm_dlq_topic')}[${header(h, 'mm_dlq_partition')}]@${header(h, 'mm_dlq_offset')}`,
              key: message.key?.toString(),
              value: message.value?.toString().slice(0, 500),
            })}\n`,
          );
        },
        { limit: Number(o.limit), commit: false },
      );
      process.stdout.write(`${count} message(s) read from ${topic}\n`);
    });

  dlq
    .command('replay')
    .description('publish dead-lettered messages back to the topic they came from, once each (progress is committed)')
    .argument('<service>', 'ledger | payment-debit | notification-ingest')
    .option('--brokers <list>', 'Kafka brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--topic <name>', 'replay this dead-letter topic instead of mm.dlq.<service>.v1')
    .option(...topicPrefixOption)
    .option('--limit <n>', 'read at most n messages')
    .option('--match <text>', 'replay only messages whose reason, key or value contains this text (the rest stay replayable)')
    .action(async (service: string, o: { brokers: string; limit?: string; match?: string; topic?: string; topicPrefix: string }) => {
      const topic = o.topic ?? namespaceOf(o).topic(dlqTopic(service));
      const kafka = kafkaFor(o.brokers);
      const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const bar = new SingleBar({ format: 'replay [{bar}] {value} replayed' }, Presets.shades_classic);
      bar.start(o.limit ? Number(o.limit) : 0, 0);
      let replayed = 0;
      let skipped = 0;
      try {
        // A fixed group per DLQ: its committed offset remembers what was replayed, so a second run resumes.
        const count = await readToEnd(
          kafka,
          topic,
          `mm-cli-dlq-replay-${topic}`,
          async ({ message }) => {
            if (!matches(message, o.match)) {
              skipped += 1;
              return 'skipped';
            }
            replayed += 1;
            const origin = header(message.headers, 'mm_dlq_topic');
            if (!origin) throw new Error(`message at offset ${message.offset} has no mm_dlq_topic header`);
            await producer.send({ topic: origin, acks: -1, messages: [{ key: message.key, value: message.value }] });
            if (!o.limit) bar.setTotal(bar.getTotal() + 1);
            bar.increment();
          },
          { ...(o.limit ? { limit: Number(o.limit) } : {}), commit: true },
        );
        bar.stop();
        const left = skipped > 0 ? `, ${skipped} not matched (left in place: the position stops before the first of them)` : '';
        process.stdout.write(`${count} message(s) read from ${topic}, ${replayed} replayed${left}\n`);
      } finally {
        bar.stop();
        await producer.disconnect();
      }
    });
}
