import type { TopicNamespace } from '@mm/contracts';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA, TOPICS } from '../kafka';
import { ensureTopicsOf } from '../kafka-admin';
import { topicProvisioning } from '../kafka-security';
import { OutboxRelay } from './outbox-relay';
import { OutboxMetrics } from './outbox.metrics';
import { OUTBOX_OPTIONS, type OutboxFeatureOptions } from './outbox.options';

/**
 * Runs the service's outbox relay for the application's lifetime: it starts once the app is up, publishes to this
 * environment's topics (creating them as configured first), and on shutdown drains what it can before stopping.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly relay: OutboxRelay;

  constructor(
    dataSource: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) topics: TopicNamespace,
    @Inject(OUTBOX_OPTIONS) { channel, config }: OutboxFeatureOptions,
    metrics: OutboxMetrics,
  ) {
    this.relay = new OutboxRelay({
      dataSource,
      kafka,
      databaseUrl: config.DATABASE_URL,
      channel,
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollMs: config.OUTBOX_POLL_MS,
      namespace: topics,
      prepare: (client) => ensureTopicsOf(client, topics, topicProvisioning(config)),
      onPublished: (count) => metrics.published.inc(count),
      onFailure: (error, retryInMs) => {
        metrics.publishFailures.inc();
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

  /** Wakes the relay in this process (OutboxNotifier's in-memory wake-up). */
  wake(): void {
    this.relay.wake();
  }

  /** Publishes one claimed batch now; returns how many rows it published. */
  drainOnce(): Promise<number> {
    return this.relay.drainOnce();
  }
}
