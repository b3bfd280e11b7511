import { Counter, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { countAndAge, openItemsGauges, type OpenItems } from '../observability/scrape-gauges';

/**
 * Outbox health: what was published, what failed, what is waiting and for how long, what was purged. Names are
 * `<prefix>_outbox_…` (`ingest_outbox_backlog`, `debit_outbox_published_total`, …): each service keeps its own.
 */
export class OutboxMetrics {
  readonly published: Counter;
  readonly publishFailures: Counter;
  readonly purged: Counter;

  constructor(registry: Registry, dataSource: DataSource, prefix: string) {
    const registers = [registry];
    const name = (metric: string) => `${prefix}_outbox_${metric}`;
    this.published = new Counter({ name: name('published_total'), help: 'Outbox events published to Kafka', registers });
    this.publishFailures = new Counter({ name: name('publish_failures_total'), help: 'Failed outbox publish attempts', registers });
    this.purged = new Counter({ name: name('purged_total'), help: 'Sent outbox rows deleted after their retention', registers });
    // Measured at scrape time, so the numbers are never stale; NaN (unknown) while the database does not answer.
    openItemsGauges(
      registry,
      {
        count: { name: name('backlog'), help: 'Outbox events not yet published' },
        age: { name: name('oldest_age_seconds'), help: 'Age of the oldest unpublished outbox event' },
      },
      () => outboxBacklog(dataSource),
    );
  }
}

export type OutboxBacklog = OpenItems;

/** Unpublished rows and the age of the oldest; bounded in time so a hung database cannot hang a scrape. */
export function outboxBacklog(dataSource: DataSource): Promise<OutboxBacklog> {
  return countAndAge(
    dataSource,
    `select count(*) as count, extract(epoch from now() - min(created_at)) as age from outbox where sent_at is null`,
  );
}
