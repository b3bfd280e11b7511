import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

const SCRAPE_QUERY_TIMEOUT_MS = 1000;

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
    // Both gauges share one query per scrape.
    let pending: Promise<OutboxBacklog> | undefined;
    const measure = () =>
      (pending ??= outboxBacklog(dataSource).finally(() => {
        pending = undefined;
      }));
    new Gauge({
      name: name('backlog'),
      help: 'Outbox events not yet published',
      registers,
      async collect() {
        this.set((await measure().catch(() => undefined))?.count ?? Number.NaN);
      },
    });
    new Gauge({
      name: name('oldest_age_seconds'),
      help: 'Age of the oldest unpublished outbox event',
      registers,
      async collect() {
        this.set((await measure().catch(() => undefined))?.oldestAgeSeconds ?? Number.NaN);
      },
    });
  }
}

export interface OutboxBacklog {
  count: number;
  oldestAgeSeconds: number;
}

/** Unpublished rows and the age of the oldest; bounded in time so a hung database cannot hang a scrape. */
export async function outboxBacklog(dataSource: DataSource): Promise<OutboxBacklog> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('backlog query timed out')), SCRAPE_QUERY_TIMEOUT_MS)),
  );
  try {
    const rows: { count: string; age: string | null }[] = await Promise.race([
      dataSource.query(`select count(*) as count, extract(epoch from now() - min(created_at)) as age from outbox where sent_at is null`),
      timeout,
    ]);
    return { count: Number(rows[0]?.count ?? 0), oldestAgeSeconds: Number(rows[0]?.age ?? 0) };
  } finally {
    clearTimeout(timer);
  }
}
