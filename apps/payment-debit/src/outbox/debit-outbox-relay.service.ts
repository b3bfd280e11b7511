import { ensureTopicsOf, type TopicNamespace } from '@mm/contracts';
import { KAFKA, OutboxRelay, topicProvisioning, TOPICS } from '@mm/platform';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import { DebitMetrics } from '../debit.metrics';
import { DEBIT_OUTBOX_CHANNEL } from './debit-outbox.constants';

/** Publishes results (and HTTP-submitted commands) from the outbox the state changes wrote them to. */
@Injectable()
export class DebitOutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DebitOutboxRelayService.name);
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(TOPICS) topics: TopicNamespace, @Inject(DEBIT_CONFIG) config: DebitConfig, metrics: DebitMetrics) {
    this.relay = new OutboxRelay({
      dataSource,
      kafka,
      databaseUrl: config.DATABASE_URL,
      channel: DEBIT_OUTBOX_CHANNEL,
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollMs: config.OUTBOX_POLL_MS,
      namespace: topics,
      prepare: (client) => ensureTopicsOf(client, topics, topicProvisioning(config)),
      onPublished: (count) => metrics.outboxPublished.inc(count),
      onFailure: (error, retryInMs) => {
        metrics.outboxFailures.inc();
        this.logger.warn({ err: error.message, retryInMs }, 'outbox relay could not publish; will retry');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
