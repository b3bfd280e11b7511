import { ensureTopicsOf, parseEvent, type TopicNamespace } from '@mm/contracts';
import { isPermanentDataError, KAFKA, SupervisedConsumer, topicProvisioning, TOPICS } from '@mm/platform';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Partitioners, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { LEDGER_CONFIG, type AllowedSources, type LedgerConfig } from '../config';
import { LedgerMetrics } from '../ledger.metrics';
import { book } from '../postings/chart-of-accounts';
import { sendToDeadLetter, type PoisonMessage } from './dead-letter.publisher';
import { EVENT_STORE, type EventStore, type IncomingEvent } from './event-store';

/**
 * Consumes the mm topics in batches. Per batch: events that cannot be parsed or booked go to the DLQ (with the
 * reason), everything else into PostgreSQL in one transaction, then — only then — the Kafka offset. A crash
 * between the database commit and the offset commit redelivers the batch, and the unique event id makes the
 * second pass a no-op. A transient failure (database down) throws, so kafkajs retries the same batch.
 */
@Injectable()
export class LedgerConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LedgerConsumerService.name);
  private readonly supervised: SupervisedConsumer;
  private readonly dlq: Producer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNamespace,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly metrics: LedgerMetrics,
  ) {
    this.supervised = new SupervisedConsumer({
      kafka,
      config: {
        groupId: topics.group(config.LEDGER_CONSUMER_GROUP),
        maxBytesPerPartition: config.LEDGER_MAX_BYTES_PER_PARTITION,
        maxBytes: config.LEDGER_MAX_BYTES_PER_PARTITION * 4,
        retry: { retries: 10 },
      },
      subscription: { topics: config.LEDGER_TOPICS.map((t) => topics.topic(t)), fromBeginning: config.LEDGER_CONSUMER_FROM_BEGINNING },
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: config.LEDGER_PARTITIONS_CONCURRENCY,
        eachBatch: (payload) => this.handleBatch(payload),
      },
      logger: this.logger,
    });
    this.dlq = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopicsOf(this.kafka, this.topics, topicProvisioning(this.config));
    await this.dlq.connect();
    await this.supervised.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stops fetching, lets the batch in flight finish and commit, then leaves the group.
    await this.supervised.stop().catch((error: Error) => this.logger.warn({ err: error.message }, 'consumer disconnect failed'));
    await this.dlq.disconnect().catch(() => undefined);
  }

  async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    // A topic outside this environment cannot be subscribed; '' keeps it from matching any catalog topic if it were.
    const { good, poison } = classify(batch.messages, topic, this.topics.logical(topic) ?? '', partition, this.config.LEDGER_ALLOWED_SOURCES);
    const started = process.hrtime.bigint();
    const { fresh, rejected } = await this.persistIsolatingBadRows(good);
    this.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    await this.deadLetter(topic, partition, [...poison, ...rejected]);
    this.metrics.eventsStored.inc({ topic }, fresh);
    this.metrics.duplicates.inc({ topic }, good.length - rejected.length - fresh);
    const last = batch.messages[batch.messages.length - 1]!.offset;
    await this.supervised.consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
    resolveOffset(last);
    this.metrics.lag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
    await heartbeat();
  }

  /** One transaction for the batch; if the database refuses its data, row by row so only the bad rows are dead-lettered. */
  private async persistIsolatingBadRows(good: Received[]): Promise<{ fresh: number; rejected: PoisonMessage[] }> {
    try {
      return { fresh: (await this.store.persist(good)).length, rejected: [] };
    } catch (error) {
      // Rethrown without the query's parameters (whole envelopes, with phone numbers and names), which kafkajs would log.
      if (!isPermanentDataError(error)) throw new Error(`could not persist the batch: ${(error as Error).message}`);
      this.logger.warn({ err: (error as Error).message }, 'batch refused by the database; isolating the bad rows');
    }
    let fresh = 0;
    const rejected: PoisonMessage[] = [];
    for (const g of good) {
      try {
        fresh += (await this.store.persist([g])).length;
      } catch (error) {
        if (!isPermanentDataError(error)) throw new Error(`could not persist event ${g.event.id}: ${(error as Error).message}`);
        rejected.push({ key: g.key, value: g.value, offset: g.offset, eventId: g.event.id, reason: `refused by the database: ${(error as Error).message}` });
      }
    }
    return { fresh, rejected };
  }

  private async deadLetter(topic: string, partition: number, poison: PoisonMessage[]): Promise<void> {
    if (poison.length === 0) return;
    await sendToDeadLetter(this.dlq, this.topics.topic(this.config.LEDGER_DLQ_TOPIC), { topic, partition }, poison);
    this.metrics.deadLettered.inc({ topic }, poison.length);
    this.logger.warn({ topic, partition, count: poison.length, reasons: poison.slice(0, 3).map((p) => p.reason) }, 'dead-lettered poison messages');
  }
}

type Received = IncomingEvent & { key: Buffer | null; value: Buffer | null };

/**
 * Parses and books each message; what cannot be parsed or booked is poison, with the reason. An event is accepted
 * only from the topic the catalog assigns its type (`logicalTopic`) and, where configured, only from its allowed sources.
 */
function classify(messages: KafkaMessage[], topic: string, logicalTopic: string, partition: number, allowedSources: AllowedSources): { good: Received[]; poison: PoisonMessage[] } {
  const good: Received[] = [];
  const poison: PoisonMessage[] = [];
  for (const m of messages) {
    const parsed = parseEvent(m.value, m.headers, logicalTopic);
    if (!parsed.ok) {
      poison.push({ key: m.key, value: m.value, offset: m.offset, reason: parsed.reason, ...(parsed.eventId ? { eventId: parsed.eventId } : {}) });
      continue;
    }
    const sources = allowedSources[parsed.event.type];
    if (sources && !sources.some((s) => parsed.event.source === s || parsed.event.source.startsWith(`${s}/`))) {
      poison.push({ key: m.key, value: m.value, offset: m.offset, reason: `source ${parsed.event.source.slice(0, 200)} may not publish ${parsed.event.type}`, eventId: parsed.event.id });
      continue;
    }
    const booking = book(parsed.event);
    if (!booking.ok) poison.push({ key: m.key, value: m.value, offset: m.offset, reason: booking.reason, eventId: parsed.event.id });
    else good.push({ event: parsed.event, raw: m.value!.toString('utf8'), topic, partition, offset: m.offset, lines: booking.lines, key: m.key, value: m.value });
  }
  return { good, poison };
}
