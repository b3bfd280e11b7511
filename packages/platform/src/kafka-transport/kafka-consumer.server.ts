import type { TopicNamespace } from '@mm/contracts';
import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { Partitioners, type ConsumerConfig, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ReadinessCheck } from '../health';
import { ensureTopicsOf, type TopicProvisioning } from '../kafka-admin';
import { SupervisedConsumer } from '../supervised-consumer';
import type { BatchContext } from './batch-context';
import { runHandlerBatch } from './batch-handler.runner';
import { ConsumerMetrics, type ConsumerMetricNames } from './consumer.metrics';
import { sendToDeadLetter } from './dead-letter.sender';
import { KeyScheduler } from './key-scheduler';
import type { BatchOutcome, KafkaHandlerExtras, MessageOutcome, ReceivedBatch, ReceivedMessage } from './kafka-transport.types';
import { runMessageBatch } from './message-batch.runner';
import { admit } from './topic-gate';

export interface KafkaConsumerOptions {
  kafka: Kafka;
  namespace: TopicNamespace;
  /** Logical names: the namespace prefixes them. */
  groupId: string;
  topics: readonly string[];
  dlqTopic: string;
  fromBeginning: boolean;
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  partitionsConsumedConcurrently: number;
  /** Messages handled at once across all partitions (message handlers; a batch handler takes a partition's batch). */
  maxInFlight: number;
  /** Attempts at a message the database refuses as bad data before it is dead-lettered. */
  poisonMaxAttempts: number;
  provisioning: TopicProvisioning;
  registry: Registry;
  metricNames: ConsumerMetricNames;
}

/**
 * The services' Kafka transport for `@nestjs/microservices`. Nest's ServerKafka handles one message at a time and an
 * error in a handler stalls its partition forever; this one keeps what the payments need: `eachBatch`, offsets committed
 * only after the work is stored (up to the lowest unfinished offset), per-key queues under a global in-flight bound,
 * the topic gate and dead-lettering with a reason, bounded attempts at bad data, transient faults handed back to kafkajs
 * (which retries with backoff and jitter), and a consumer rebuilt after a non-retriable crash.
 * `@EventPattern(logicalTopic, extras?)` declares a handler; see `KafkaHandlerExtras`.
 */
export class KafkaConsumerServer extends Server implements CustomTransportStrategy, BeforeApplicationShutdown {
  private readonly log = new Logger(KafkaConsumerServer.name);
  private readonly dlq: Producer;
  private readonly scheduler: KeyScheduler;
  private readonly metrics: ConsumerMetrics;
  private supervised?: SupervisedConsumer;
  private joined = false;
  private closing?: Promise<void>;

  constructor(private readonly o: KafkaConsumerOptions) {
    super();
    this.dlq = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    this.scheduler = new KeyScheduler(o.maxInFlight);
    this.metrics = new ConsumerMetrics(o.registry, o.metricNames);
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async start(): Promise<void> {
    const missing = this.o.topics.filter((t) => !this.getHandlerByPattern(t));
    if (missing.length > 0) throw new Error(`no @EventPattern handler for ${missing.join(', ')}`);
    await ensureTopicsOf(this.o.kafka, this.o.namespace, this.o.provisioning);
    await this.dlq.connect();
    this.supervised = new SupervisedConsumer({
      kafka: this.o.kafka,
      config: { ...this.o.consumer, groupId: this.o.namespace.group(this.o.groupId) },
      subscription: { topics: this.o.topics.map((t) => this.o.namespace.topic(t)), fromBeginning: this.o.fromBeginning },
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
        eachBatch: (p) => this.handleBatch(p),
      },
      logger: this.log,
      onMembership: (joined) => (this.joined = joined),
    });
    await this.supervised.start();
  }

  /** Stops fetching; work in flight finishes and is committed; queued messages are left for redelivery. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.supervised?.stop().catch((error: Error) => this.log.warn({ err: error.message }, 'consumer disconnect failed'));
      await this.dlq.disconnect().catch(() => undefined);
    })();
    return this.closing;
  }

  /** The consumer stops in the same shutdown phase as the services' own hooks, before Nest disposes the transports. */
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  on(): never {
    throw new Error('KafkaConsumerServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.supervised?.consumer as T;
  }

  /** Ready once the consumer has joined its group and fetched (a message produced after that is seen). */
  readiness(name = 'kafka-consumer'): ReadinessCheck {
    return {
      name,
      check: async () => {
        if (!this.joined) throw new Error('consumer has not joined its group');
      },
    };
  }

  async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const { topic, partition } = batch;
    // A topic outside this environment cannot be subscribed; '' keeps it from matching any catalog topic if it were.
    const logicalTopic = this.o.namespace.logical(topic) ?? '';
    const handler = this.getHandlerByPattern(logicalTopic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const originals = new Map(batch.messages.map((m) => [m.offset, m]));
    const ctx: BatchContext = {
      topic,
      partition,
      admissions: batch.messages.map((m) => admit(m, topic, logicalTopic, partition)),
      commit: async (last) => {
        await this.consumer().commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        resolveOffset(last);
      },
      deadLetter: async (rejections) => {
        if (rejections.length === 0) return;
        await sendToDeadLetter(this.dlq, this.o.namespace.topic(this.o.dlqTopic), { topic, partition, messages: originals }, rejections);
        this.metrics.deadLettered.inc({ topic }, rejections.length);
        this.log.warn(
          { topic, partition, count: rejections.length, reasons: rejections.slice(0, 3).map((r) => r.reason) },
          'dead-lettered messages',
        );
      },
      heartbeat,
      active: () => isRunning() && !isStale(),
    };
    const extras = (handler.extras ?? {}) as KafkaHandlerExtras;
    const result = extras.batch
      ? await runHandlerBatch(ctx, (b) => invoke<ReceivedBatch, BatchOutcome>(handler, b), this.o.poisonMaxAttempts, this.log)
      : await runMessageBatch(ctx, (m) => invoke<ReceivedMessage, MessageOutcome>(handler, m), extras.queueBy, {
          scheduler: this.scheduler,
          maxAttempts: this.o.poisonMaxAttempts,
          metrics: this.metrics,
          logger: this.log,
        });
    this.metrics.recordPosition(topic, partition, batch.highWatermark, result.nextOffset);
    this.metrics.markStuck(topic, partition, result.failure !== undefined);
    if (result.failure !== undefined) throw result.failure;
  }

  private consumer() {
    if (!this.supervised) throw new Error('consumer not started');
    return this.supervised.consumer;
  }
}

/** Calls a Nest handler; its errors come back as an erroring observable (see `ConsumerController`), rethrown here. */
async function invoke<I, O>(handler: MessageHandler, input: I): Promise<O> {
  const out: unknown = await handler(input);
  return (isObservable(out) ? await lastValueFrom(out, { defaultValue: undefined }) : out) as O;
}
