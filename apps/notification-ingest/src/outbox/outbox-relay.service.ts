import { ensureTopicsOf } from '@mm/contracts';
import { KAFKA, OutboxRelay } from '@mm/platform';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { IngestMetrics } from '../ingest.metrics';
import { OUTBOX_CHANNEL } from './outbox.constants';

/** Runs the shared outbox relay for ingest's outbox, with ingest's metrics. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly relay: OutboxRelay;
  private backlogTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(INGEST_CONFIG) config: IngestConfig,
    private readonly metrics: IngestMetrics,
  ) {
    this.relay = new OutboxRelay({
      dataSource,
      kafka,
      databaseUrl: config.DATABASE_URL,
      channel: OUTBOX_CHANNEL,
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollMs: config.OUTBOX_POLL_MS,
      prepare: ensureTopicsOf,
      onPublished: (count) => metrics.outboxPublished.inc(count),
      onFailure: (error, retryInMs) => {
        metrics.outboxPublishFailures.inc();
        this.logger.warn({ err: error.message, retryInMs }, 'outbox relay could not publish; will retry');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.backlogTimer = setInterval(() => void this.measureBacklog(), 5000);
    this.backlogTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.backlogTimer);
    await this.relay.stop();
  }

  drainOnce(): Promise<number> {
    return this.relay.drainOnce();
  }

  private async measureBacklog(): Promise<void> {
    try {
      const { count, oldestAgeSeconds } = await this.relay.backlog();
      this.metrics.outboxBacklog.set(count);
      this.metrics.outboxOldestAgeSeconds.set(oldestAgeSeconds);
    } catch {
      // The database being down is reported by readiness; the gauges keep their last values.
    }
  }
}
