import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxMetrics } from './outbox.metrics';
import { OUTBOX_OPTIONS, type OutboxFeatureOptions } from './outbox.options';

/**
 * Deletes outbox rows that were published longer ago than the retention, in small batches so no long lock or
 * transaction competes with the hot path. Unsent rows are never touched. The outbox is only a queue: the service's
 * own records (ingest's notifications with their raw bodies, payment-debit's commands) are the audit trail and
 * are kept, and every published event is in the ledger's log.
 */
@Injectable()
export class OutboxHousekeepingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxHousekeepingService.name);
  private readonly retentionSeconds: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(OUTBOX_OPTIONS) { config }: OutboxFeatureOptions,
    private readonly metrics: OutboxMetrics,
  ) {
    this.retentionSeconds = config.OUTBOX_RETENTION_HOURS * 3600;
    this.batchSize = config.OUTBOX_PURGE_BATCH_SIZE;
    this.intervalMs = config.OUTBOX_PURGE_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every sent row older than the retention, batch by batch; returns how many it deleted. */
  async purge(): Promise<number> {
    let total = 0;
    for (;;) {
      const [row]: { n: number }[] = await this.dataSource.query(
        `with d as (
           delete from outbox where id in (
             select id from outbox
              where sent_at is not null and sent_at < now() - make_interval(secs => $1)
              order by id limit $2 for update skip locked)
           returning 1)
         select count(*)::int as n from d`,
        [this.retentionSeconds, this.batchSize],
      );
      const count = row?.n ?? 0;
      total += count;
      this.metrics.purged.inc(count);
      if (count < this.batchSize || this.stopped) return total;
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.purge();
    try {
      const deleted = await this.running;
      if (deleted > 0) this.logger.log({ deleted }, 'purged published outbox rows past their retention');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'outbox purge failed; will retry');
    } finally {
      this.running = undefined;
    }
  }
}
