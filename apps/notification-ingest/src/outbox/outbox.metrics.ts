import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

const SCRAPE_QUERY_TIMEOUT_MS = 1000;

/** Outbox health: what was published, what failed, what is waiting and for how long, what was purged. */
@Injectable()
export class OutboxMetrics {
  readonly published: Counter;
  readonly publishFailures: Counter;
  readonly purged: Counter;

  constructor(registry: Registry, dataSource: DataSource) {
    const registers = [registry];
    this.published = new Counter({ name: 'ingest_outbox_published_total', help: 'Outbox events published to Kafka', registers });
    this.publishFailures = new Counter({ name: 'ingest_outbox_publish_failures_total', help: 'Failed outbox publish attempts', registers });
    this.purged = new Counter({ name: 'ingest_outbox_purged_total', help: 'Sent outbox rows deleted after their retention', registers });
    // Measured at scrape time, so the numbers are never stale; NaN (unknown) while the database does not answer.
    let pending: Promise<{ count: number; age: number }> | undefined;
    const measure = () =>
      (pending ??= backlogOf(dataSource).finally(() => {
        pending = undefined;
      }));
    new Gauge({
      name: 'ingest_outbox_backlog',
      help: 'Outbox events not yet published',
      registers,
      async collect() {
        this.set((await measure().catch(() => undefined))?.count ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'ingest_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox event',
      registers,
      async collect() {
        this.set((await measure().catch(() => undefined))?.age ?? Number.NaN);
      },
    });
  }
}

async function backlogOf(dataSource: DataSource): Promise<{ count: number; age: number }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('backlog query timed out')), SCRAPE_QUERY_TIMEOUT_MS)));
  try {
    const rows: { count: string; age: string | null }[] = await Promise.race([
      dataSource.query(`select count(*) as count, extract(epoch from now() - min(created_at)) as age from outbox where sent_at is null`),
      timeout,
    ]);
    return { count: Number(rows[0]?.count ?? 0), age: Number(rows[0]?.age ?? 0) };
  } finally {
    clearTimeout(timer);
  }
}
