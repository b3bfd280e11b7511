import { deadLetterMessage, dlqTopic, ensureTopics, parseEvent, ServiceNames, Topics } from '@mm/contracts';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Message, type Producer } from 'kafkajs';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import { KAFKA } from '@mm/platform';
import { LedgerMetrics } from '../ledger.metrics';
import { isBalanced, postingsFor } from '../postings/chart-of-accounts';
import { EVENT_STORE, type EventStore, type IncomingEvent } from './event-store';

const DLQ = dlqTopic(ServiceNames.Ledger);

/**
 * Consumes every mm topic in batches. Per batch: poison to the DLQ (with the reason), everything else into
 * PostgreSQL in one transaction, then — only then — the Kafka offset. A crash between the database commit and
 * the offset commit redelivers the batch, and the unique event id makes the second pass a no-op.
 */
@Injectable()
export class LedgerConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LedgerConsumerService.name);
  private readonly consumer: Consumer;
  private readonly dlq: Producer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly metrics: LedgerMetrics,
  ) {
    this.consumer = kafka.consumer({ groupId: config.LEDGER_CONSUMER_GROUP, maxBytesPerPartition: 2 * 1024 * 1024, retry: { retries: 10 } });
    this.dlq = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
    } finally {
      await admin.disconnect();
    }
    await Promise.all([this.consumer.connect(), this.dlq.connect()]);
    await this.consumer.subscribe({ topics: [Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult], fromBeginning: this.config.LEDGER_CONSUMER_FROM_BEGINNING });
    await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stops fetching, lets the batch in flight finish and commit, then leaves the group.
    await this.consumer.disconnect().catch((error: Error) => this.logger.warn({ err: error.message }, 'consumer disconnect failed'));
    await this.dlq.disconnect().catch(() => undefined);
  }

  async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const good: IncomingEvent[] = [];
    const poison: { message: Message; reason: string }[] = [];
    for (const m of batch.messages) {
      const parsed = parseEvent(m.value, m.headers);
      // An event whose money does not balance is poison too: retrying it could only stall the partition.
      const reason = parsed.ok ? (isBalanced(postingsFor(parsed.event)) ? undefined : 'postings would not balance') : parsed.reason;
      if (parsed.ok && !reason) good.push({ event: parsed.event, topic, partition, offset: m.offset });
      else if (reason) poison.push({ message: deadLetterMessage({ topic, partition, ...m }, reason), reason });
    }
    // One send per poison message: a batch of large poison values could exceed the broker's request limit.
    for (const p of poison) await this.dlq.send({ topic: DLQ, acks: -1, messages: [p.message] });
    if (poison.length > 0) {
      this.metrics.deadLettered.inc({ topic }, poison.length);
      this.logger.warn({ topic, partition, count: poison.length, reasons: poison.slice(0, 3).map((p) => p.reason) }, 'dead-lettered poison messages');
    }
    const started = process.hrtime.bigint();
    const fresh = await this.store.persist(good);
    this.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.eventsStored.inc({ topic }, fresh.length);
    this.metrics.duplicates.inc({ topic }, good.length - fresh.length);
    const last = batch.messages[batch.messages.length - 1]!.offset;
    await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
    resolveOffset(last);
    this.metrics.lag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
    await heartbeat();
  }
}
