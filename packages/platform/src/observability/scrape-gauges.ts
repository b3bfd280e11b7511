import type { FactoryProvider } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** How long a scrape-time query may take before the gauge reports NaN (unknown) rather than hold the scrape. */
export const SCRAPE_QUERY_TIMEOUT_MS = 1000;

/** Items waiting for something (unpublished events, UNKNOWN debits, open suspense) and how long the oldest has waited. */
export interface OpenItems {
  count: number;
  oldestAgeSeconds: number;
}

/** A query bounded in time, so a hung database cannot hang a scrape. */
export async function boundedQuery<T>(dataSource: DataSource, sql: string, timeoutMs = SCRAPE_QUERY_TIMEOUT_MS): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`scrape query timed out after ${timeoutMs} ms`)), timeoutMs)),
  );
  try {
    return await Promise.race([dataSource.query(sql) as Promise<T[]>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a `select count(*) as count, <seconds> as age` query and reads its one row (no row or a null age: none open). */
export async function countAndAge(dataSource: DataSource, sql: string, timeoutMs?: number): Promise<OpenItems> {
  const rows = await boundedQuery<{ count: string | number; age: string | number | null }>(dataSource, sql, timeoutMs);
  return { count: Number(rows[0]?.count ?? 0), oldestAgeSeconds: Number(rows[0]?.age ?? 0) };
}

export interface OpenItemsGaugeNames {
  count: { name: string; help: string };
  age: { name: string; help: string };
}

/**
 * Two gauges measured at scrape time (never per request), sharing one measurement per scrape; NaN while the
 * measurement fails or times out, so a dashboard shows "unknown" rather than a reassuring zero.
 */
export function openItemsGauges(registry: Registry, names: OpenItemsGaugeNames, measure: () => Promise<OpenItems>): void {
  let pending: Promise<OpenItems | undefined> | undefined;
  const shared = () =>
    (pending ??= measure()
      .catch(() => undefined)
      .finally(() => {
        pending = undefined;
      }));
  const registers = [registry];
  new Gauge({
    ...names.count,
    registers,
    async collect() {
      this.set((await shared())?.count ?? Number.NaN);
    },
  });
  new Gauge({
    ...names.age,
    registers,
    async collect() {
      this.set((await shared())?.oldestAgeSeconds ?? Number.NaN);
    },
  });
}

/**
 * A provider registering `openItemsGauges` measured by one `select count(*) as count, <seconds> as age` query (see
 * `countAndAge`) on the service's registry and data source; add it to the module's providers.
 */
export function openItemsGaugesProvider(names: OpenItemsGaugeNames, sql: string): FactoryProvider<OpenItemsGaugeNames> {
  return {
    provide: Symbol(names.count.name),
    inject: [Registry, DataSource],
    useFactory: (registry: Registry, dataSource: DataSource) => {
      openItemsGauges(registry, names, () => countAndAge(dataSource, sql));
      return names;
    },
  };
}
