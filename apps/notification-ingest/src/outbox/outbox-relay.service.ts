import { ensureTopicsOf, type TopicNamespace } from '@mm/contracts';
import { KAFKA, OutboxRelay, topicProvisioning, TOPICS } from '@mm/platform';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { OUTBOX_CHANNEL } from './outbox.constants';
import { OutboxMetrics } from './outbox.metrics';

/** Runs the shared outbox relay for ingest's outbox, with ingest's metrics (the backlog is measured at scrape time). */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, @Inject(KAFKA) kafka: Kafka, @Inject(TOPICS) topics: TopicNamespace, @Inject(INGEST_CONFIG) config: IngestConfig, metrics: OutboxMetrics) {
    this.relay = new OutboxRelay({
      dataSource,
      kafka,
      databaseUrl: config.DATABASE_URL,
      channel: OUTBOX_CHANNEL,
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

  drainOnce(): Promise<number> {
    return this.relay.drainOnce();
  }
}
