import { exposedMetricNames, metricValue } from './metrics';

const TEXT = `# HELP debit_outcomes_total Commands that reached a final state
# TYPE debit_outcomes_total counter
debit_outcomes_total{state="APPROVED"} 4
debit_outcomes_total{state="UNKNOWN"} 2
# HELP debit_unknown_open Debits in UNKNOWN
# TYPE debit_unknown_open gauge
debit_unknown_open 2
# TYPE debit_dead_lettered_total counter
# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{le="0.1",method="GET",route="/metrics",status="200"} 1
http_server_request_duration_seconds_count{method="GET",route="/metrics",status="200"} 1
`;

describe('metricValue', () => {
  it('finds a sample by name and labels', () => {
    expect(metricValue(TEXT, 'debit_outcomes_total', { state: 'UNKNOWN' })).toBe(2);
    expect(metricValue(TEXT, 'debit_unknown_open')).toBe(2);
    expect(metricValue(TEXT, 'http_server_request_duration_seconds_count', { route: '/metrics' })).toBe(1);
  });

  it('is undefined when no sample matches', () => {
    expect(metricValue(TEXT, 'debit_outcomes_total', { state: 'EXPIRED' })).toBeUndefined();
    expect(metricValue(TEXT, 'debit_unknown')).toBeUndefined();
  });
});

describe('exposedMetricNames', () => {
  it('lists declared names, also without samples, and the series of a histogram', () => {
    const names = exposedMetricNames(TEXT);
    expect(names).toContain('debit_dead_lettered_total');
    expect(names).toContain('http_server_request_duration_seconds_bucket');
    expect(names).toContain('http_server_request_duration_seconds_sum');
    expect(names).not.toContain('debit_unknown_open_bucket');
  });
});
