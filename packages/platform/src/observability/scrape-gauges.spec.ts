import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { countAndAge, openItemsGauges, type OpenItems } from './scrape-gauges';

const NAMES = {
  count: { name: 'things_open', help: 'open things' },
  age: { name: 'things_oldest_age_seconds', help: 'oldest open thing' },
};

const valueOf = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('openItemsGauges', () => {
  it('measures at scrape time, once per scrape for both gauges', async () => {
    const registry = new Registry();
    let calls = 0;
    let open: OpenItems = { count: 0, oldestAgeSeconds: 0 };
    openItemsGauges(registry, NAMES, async () => {
      calls += 1;
      return open;
    });
    expect(calls).toBe(0);
    open = { count: 3, oldestAgeSeconds: 42.5 };
    const text = await registry.metrics();
    expect(text).toContain('things_open 3');
    expect(text).toContain('things_oldest_age_seconds 42.5');
    expect(calls).toBe(1);
    open = { count: 0, oldestAgeSeconds: 0 };
    expect(await registry.metrics()).toContain('things_open 0');
    expect(calls).toBe(2);
  });

  it('reports NaN (unknown), never zero, while the measurement fails', async () => {
    const registry = new Registry();
    openItemsGauges(registry, NAMES, () => Promise.reject(new Error('connection refused')));
    expect(await valueOf(registry, 'things_open')).toBeNaN();
    expect(await valueOf(registry, 'things_oldest_age_seconds')).toBeNaN();
  });
});

describe('countAndAge', () => {
  const answering = (rows: unknown[], delayMs = 0) =>
    ({ query: () => new Promise((r) => setTimeout(() => r(rows), delayMs)) }) as unknown as DataSource;

  it('reads the count and the age; no open item means zero and age zero', async () => {
    expect(await countAndAge(answering([{ count: '7', age: '12.25' }]), 'q')).toEqual({ count: 7, oldestAgeSeconds: 12.25 });
    expect(await countAndAge(answering([{ count: '0', age: null }]), 'q')).toEqual({ count: 0, oldestAgeSeconds: 0 });
  });

  it('gives up after its timeout so a hung database cannot hang a scrape', async () => {
    await expect(countAndAge(answering([{ count: '1', age: '1' }], 300), 'q', 50)).rejects.toThrow(/timed out after 50 ms/);
  });
});
