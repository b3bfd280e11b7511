import type { TopicNamespace } from '@mm/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA, TOPICS } from '../kafka';
import { SupervisedConsumer } from '../supervised-consumer';
import { toDeadLetterRecord } from './dead-letter-record';
import { insertDeadLetters } from './dead-letter.store';
import { DEAD_LETTERS_OPTIONS, type DeadLettersFeatureOptions } from './dead-letters.options';

/**
 * Copies the service's DLQ topic(s) into its `dead_letters` table, from the beginning, committing each batch's offset
 * only after its rows are stored (a redelivery inserts nothing twice). It starts in the background and keeps retrying,
 * so a DLQ topic not created yet, or a broker away, never holds the service's start.
 */
@Injectable()
export class DeadLetterInboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DeadLetterInbox');
  private supervised?: SupervisedConsumer;
  private stopped = false;
  private starting?: Promise<void>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly namespace: TopicNamespace,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersFeatureOptions,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = this.startWithRetry();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.supervised?.stop().catch(() => undefined);
  }

  private async startWithRetry(): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 30_000)) {
      const supervised = new SupervisedConsumer({
        kafka: this.kafka,
        config: { groupId: this.namespace.group(`${this.options.service}-dead-letters`), maxWaitTimeInMs: 500 },
        subscription: { topics: this.options.dlqTopics.map((t) => this.namespace.topic(t)), fromBeginning: true },
        run: { autoCommit: false, eachBatch: (payload) => this.store(payload) },
        logger: { error: (d, m) => this.log.error({ ...d, msg: m }), warn: (d, m) => this.log.warn({ ...d, msg: m }) },
      });
      try {
        this.supervised = supervised;
        await supervised.start();
        return;
      } catch (error) {
        await supervised.stop().catch(() => undefined);
        this.log.warn({ err: (error as Error).message, retryInMs: delay, msg: 'dead-letter inbox not started yet' });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async store({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const last = batch.messages[batch.messages.length - 1];
    if (!last) return;
    await insertDeadLetters(
      this.dataSource,
      batch.messages.map((m) => toDeadLetterRecord(batch.topic, batch.partition, m)),
    );
    const offset = (BigInt(last.offset) + 1n).toString();
    await this.supervised!.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
    await heartbeat();
  }
}
