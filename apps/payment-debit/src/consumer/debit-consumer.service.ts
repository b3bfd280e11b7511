import { deadLetterMessage, dlqTopic, ensureTopicsOf, ServiceNames, type TopicNamespace, Topics, TopicSpecs } from '@mm/contracts';
import { isPermanentDataError, KAFKA, KeyScheduler, OffsetTracker, type ReadinessCheck, SupervisedConsumer, topicProvisioning, TOPICS } from '@mm/platform';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Partitioners, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import { DebitMetrics } from '../debit.metrics';
import { ProcessDebitService } from '../debits/process-debit.service';
import { parseIncoming, type Incoming } from './incoming-message';

const PARTITIONS = TopicSpecs.find((t) => t.topic === Topics.DebitRequested)?.numPartitions ?? 1;

/**
 * Consumes DebitRequested with a plain kafkajs consumer rather than @nestjs/microservices' ServerKafka: ServerKafka
 * hands over one message at a time (eachMessage) and commits on its own, while this consumer must run many accounts
 * side by side from one batch and commit each partition only up to the lowest offset not yet stored.
 *
 * Per batch: every message goes to its account's queue (order kept per account, `DEBIT_MAX_IN_FLIGHT` overall);
 * the finished prefix is committed every second and at the end. A message that fails (database down) blocks the
 * rest of its account in this batch, and the batch is thrown back to kafkajs to be redelivered from the last commit;
 * the stored state makes the messages already done no-ops. A message the database refuses as bad data is retried
 * `DEBIT_POISON_MAX_ATTEMPTS` times and then dead-lettered, so it cannot stall its partition; transient faults
 * (database down, connection lost) are never dead-lettered.
 */
@Injectable()
export class DebitConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DebitConsumerService.name);
  private readonly supervised: SupervisedConsumer;
  private readonly dlq: Producer;
  private readonly scheduler: KeyScheduler;
  private joined = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNamespace,
    private readonly processor: ProcessDebitService,
    @Inject(DEBIT_CONFIG) private readonly config: DebitConfig,
    private readonly metrics: DebitMetrics,
  ) {
    this.dlq = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    this.scheduler = new KeyScheduler(config.DEBIT_MAX_IN_FLIGHT);
    this.supervised = new SupervisedConsumer({
      kafka,
      config: {
        groupId: topics.group(config.DEBIT_CONSUMER_GROUP),
        // Bounds the commands held in memory per batch (each becomes a queued task): a backlog must fit the heap budget.
        maxBytesPerPartition: 256 * 1024,
        sessionTimeout: config.DEBIT_SESSION_TIMEOUT_MS,
        heartbeatInterval: Math.min(3000, Math.floor(config.DEBIT_SESSION_TIMEOUT_MS / 3)),
        retry: { retries: 10 },
      },
      subscription: { topics: [topics.topic(Topics.DebitRequested)], fromBeginning: config.DEBIT_CONSUMER_FROM_BEGINNING },
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: PARTITIONS,
        eachBatch: (payload) => this.handleBatch(payload),
      },
      logger: this.logger,
      onMembership: (joined) => (this.joined = joined),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopicsOf(this.kafka, this.topics, topicProvisioning(this.config));
    await this.dlq.connect();
    await this.supervised.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stops fetching; tasks already talking to Bixi finish and are stored, queued ones are left for redelivery.
    await this.supervised.stop().catch((error: Error) => this.logger.warn({ err: error.message }, 'consumer disconnect failed'));
    await this.dlq.disconnect().catch(() => undefined);
  }

  /** Ready once the consumer has joined its group (tests publish only after that). */
  readiness(): ReadinessCheck {
    return {
      name: 'debit-consumer',
      check: async () => {
        if (!this.joined) throw new Error('consumer has not joined its group');
      },
    };
  }

  async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const tracker = new OffsetTracker(batch.messages.map((m) => m.offset));
    const blocked = new Set<string>();
    let failure: unknown;
    let committed: string | undefined;
    let chain = Promise.resolve();
    // Serialised, so an older offset never lands after a newer one.
    const commit = () =>
      (chain = chain.then(async () => {
        const last = tracker.lastFinished;
        if (last === undefined || last === committed) return;
        await this.supervised.consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        resolveOffset(last);
        committed = last;
      }));
    const progress = setInterval(() => void commit().then(() => heartbeat()).catch(() => undefined), 1000);
    try {
      await Promise.all(
        batch.messages.map((message) => {
          const incoming = parseIncoming(message.value);
          const account = accountOf(incoming, message);
          return this.scheduler.run(account, async () => {
            if (!isRunning() || isStale() || blocked.has(account)) return;
            this.metrics.inFlight.inc();
            try {
              await this.process(incoming, message, topic, partition);
              tracker.finish(message.offset);
            } catch (error) {
              blocked.add(account);
              failure ??= error;
              this.logger.warn({ topic, partition, offset: message.offset, err: (error as Error).message }, 'debit command not processed; it will be redelivered');
            } finally {
              this.metrics.inFlight.dec();
            }
          });
        }),
      );
    } finally {
      clearInterval(progress);
    }
    await commit();
    if (failure) throw failure;
  }

  private async process(incoming: Incoming, message: KafkaMessage, topic: string, partition: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.processOnce(incoming, message, topic, partition);
      } catch (error) {
        if (!isPermanentDataError(error)) throw error;
        const refusal = `refused by the database (SQLSTATE ${String((error as { code?: unknown }).code)}): ${(error as Error).message}`;
        if (attempt >= this.config.DEBIT_POISON_MAX_ATTEMPTS) return this.deadLetter(message, `${refusal}; dead-lettered after ${attempt} attempts`, topic, partition);
        this.logger.warn({ topic, partition, offset: message.offset, attempt, err: refusal }, 'debit command refused by the database; retrying before dead-lettering');
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private async processOnce(incoming: Incoming, message: KafkaMessage, topic: string, partition: number): Promise<void> {
    if (incoming.kind === 'poison') return this.deadLetter(message, incoming.reason, topic, partition);
    if (incoming.kind === 'invalid') {
      await this.processor.recordInvalid(incoming.command);
      return;
    }
    const result = await this.processor.handle(incoming.command);
    if (result.kind === 'conflict') await this.deadLetter(message, `commandId ${incoming.command.commandId} was already used for a different debit`, topic, partition);
  }

  private async deadLetter(m: KafkaMessage, reason: string, topic: string, partition: number): Promise<void> {
    await this.dlq.send({ topic: this.topics.topic(dlqTopic(ServiceNames.Debit)), acks: -1, messages: [deadLetterMessage({ topic, partition, offset: m.offset, key: m.key, value: m.value }, reason)] });
    this.metrics.deadLettered.inc();
    this.logger.warn({ topic, partition, offset: m.offset, reason }, 'dead-lettered a debit message');
  }
}

/** The queue a message waits in: its normalised account, so one account's debits reach Bixi in order. */
function accountOf(incoming: Incoming, message: KafkaMessage): string {
  if (incoming.kind === 'command') return `acct:${incoming.command.accountNumber}`;
  if (incoming.kind === 'invalid') return `cmd:${incoming.command.commandId}`;
  return `key:${message.key?.toString('utf8') ?? ''}`;
}
