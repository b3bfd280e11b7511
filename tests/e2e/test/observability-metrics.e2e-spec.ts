import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  exposedMetricNames,
  metricValue,
  scrapeMetrics,
  startService,
  waitFor,
  type RunningService,
  type TestDatabase,
} from '@mm/testing';
import { dashboardPanels, promqlMetricNames, ruleExpressions, scrapeJobs } from './observability-files';
import { entry } from './payments-stack';

const BIXI_TOKEN = 'obs-e2e-bixi-token-0123456789';
const DEBIT_KEY = 'obs-e2e-debit-api-key-0123456789';
const LEDGER_KEY = 'obs-e2e-ledger-api-key-0123456789';
/** Series Prometheus makes itself for every target, never exposed by a service. */
const PROMETHEUS_OWN = new Set(['up']);

/** Every service as a process (as `npm start` runs them), scraped: each name a panel or an alert reads must exist. */
describe('observability: the metrics the dashboard and the alerts read are exposed by the services', () => {
  const services: Record<string, RunningService> = {};
  const dbs: TestDatabase[] = [];

  beforeAll(async () => {
    dbs.push(...(await Promise.all(['ingest', 'debit', 'ledger', 'console'].map((s) => createTestDatabase(`obs_${s}`)))));
    const [ingestDb, debitDb, ledgerDb, consoleDb] = dbs as [TestDatabase, TestDatabase, TestDatabase, TestDatabase];
    services['bixi-sandbox'] = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: BIXI_TOKEN });
    const [ingest, debit, ledger] = await Promise.all([
      startService('notification-ingest', entry('notification-ingest'), {
        DATABASE_URL: ingestDb.url,
        INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: ['obs-e2e-secret-for-customer-12000'], providers: ['200'] } }),
      }),
      startService('payment-debit', entry('payment-debit'), {
        DATABASE_URL: debitDb.url,
        BIXI_BASE_URL: services['bixi-sandbox'].url,
        BIXI_API_TOKEN: BIXI_TOKEN,
        DEBIT_API_KEY: DEBIT_KEY,
        DEBIT_CONSUMER_GROUP: `payment-debit-obs-${randomUUID()}`,
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: LEDGER_KEY,
        LEDGER_CONSUMER_GROUP: `ledger-obs-${randomUUID()}`,
      }),
    ]);
    Object.assign(services, { 'notification-ingest': ingest, 'payment-debit': debit, ledger });
    services.console = await startService('console', entry('console'), {
      DATABASE_URL: consoleDb.url,
      CONSOLE_LEDGER_URL: ledger.url,
      CONSOLE_LEDGER_API_KEY: LEDGER_KEY,
      CONSOLE_DEBIT_URL: debit.url,
      CONSOLE_DEBIT_API_KEY: DEBIT_KEY,
      CONSOLE_INGEST_URL: ingest.url,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(Object.values(services).map((s) => s.stop()));
    await Promise.allSettled(dbs.map((d) => d.drop()));
  });

  it('starts every scraped job', () => {
    expect(Object.keys(services).sort()).toEqual([...scrapeJobs()].sort());
  });

  it('every service is ready and times its requests by route pattern', async () => {
    for (const [name, service] of Object.entries(services)) {
      const ready = await waitFor(
        async () => (metricValue(await scrapeMetrics(service.url), 'service_ready') === 1 ? true : undefined),
        60_000,
        250,
      );
      expect({ name, ready }).toEqual({ name, ready: true });
      await fetch(`${service.url}/no/such/page/${randomUUID()}`);
      const text = await scrapeMetrics(service.url);
      const count = (labels: Record<string, string>) => metricValue(text, 'http_server_request_duration_seconds_count', labels);
      expect({ name, metrics: count({ method: 'GET', route: '/metrics', status: '200' }) }).toEqual({ name, metrics: expect.any(Number) });
      expect({ name, unmatched: count({ method: 'GET', route: 'unmatched', status: '404' }) }).toEqual({ name, unmatched: 1 });
      expect(text).not.toContain('/no/such/page');
    }
  });

  it('exposes every metric name a dashboard panel or an alert rule reads', async () => {
    const exposed = new Set<string>();
    for (const service of Object.values(services))
      for (const name of exposedMetricNames(await scrapeMetrics(service.url))) exposed.add(name);
    const used = new Set([
      ...dashboardPanels().flatMap((p) => (p.targets ?? []).flatMap((t) => promqlMetricNames(t.expr ?? ''))),
      ...ruleExpressions().flatMap(promqlMetricNames),
    ]);
    expect(used.size).toBeGreaterThan(15);
    const unknown = [...used].filter((name) => !exposed.has(name) && !PROMETHEUS_OWN.has(name));
    expect(unknown).toEqual([]);
    expect(used).toContain('dead_letters_open');
  });
});
