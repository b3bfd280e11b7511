import { dashboardPanels, promqlMetricNames, ruleExpressions, scrapeJobs } from './observability-files';

describe('the Grafana dashboard (observability/grafana/mm-services.json)', () => {
  const panels = dashboardPanels();

  it('has one row per scraped service, in the order of prometheus.yml', () => {
    const rows = panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(scrapeJobs()).toEqual(expect.arrayContaining(['notification-ingest', 'payment-debit', 'ledger', 'console', 'bixi-sandbox']));
    expect([...rows].sort()).toEqual([...scrapeJobs()].sort());
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('gives every panel at least one query, and starts with a row', () => {
    expect(panels[0]?.type).toBe('row');
    const charts = panels.filter((p) => p.type !== 'row');
    expect(charts.length).toBeGreaterThan(20);
    for (const p of charts) {
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(promqlMetricNames(t.expr ?? '')).not.toHaveLength(0);
    }
  });

  it('shows what an operator must watch: latency, outbox age, lag, dead letters, debit outcomes, open suspense', () => {
    const used = new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => promqlMetricNames(t.expr ?? ''))));
    for (const name of [
      'http_server_request_duration_seconds_bucket',
      'ingest_outbox_oldest_age_seconds',
      'debit_consumer_lag',
      'ledger_consumer_lag',
      'dead_letters_open',
      'debit_outcomes_total',
      'debit_unknown_open',
      'ledger_suspense_open',
    ]) {
      expect(used).toContain(name);
    }
  });
});

describe('promqlMetricNames', () => {
  it('keeps metric names and drops functions, labels, ranges, grouping and operators', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_server_request_duration_seconds_bucket{job="ledger", route=~"/v1.*"}[5m])))',
      ),
    ).toEqual(['http_server_request_duration_seconds_bucket']);
    expect(promqlMetricNames('(debit_consumer_lag > 100 and delta(debit_consumer_lag[10m]) > 0) or ledger_consumer_lag')).toEqual([
      'debit_consumer_lag',
      'ledger_consumer_lag',
    ]);
    expect(promqlMetricNames('a_total / on (job) group_left b_total > bool 0.05')).toEqual(['a_total', 'b_total']);
  });

  it('reads every alert expression, block ones included', () => {
    const exprs = ruleExpressions();
    expect(exprs.length).toBeGreaterThanOrEqual(9);
    expect(exprs.flatMap(promqlMetricNames)).toEqual(expect.arrayContaining(['ledger_outbox_oldest_age_seconds', 'service_ready', 'up']));
  });
});
