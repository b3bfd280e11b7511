import { sumMetric } from './prometheus';

describe('sumMetric', () => {
  const text = [
    '# HELP ledger_consumer_lag Messages behind',
    '# TYPE ledger_consumer_lag gauge',
    'ledger_consumer_lag{topic="a",partition="0"} 3',
    'ledger_consumer_lag{topic="a",partition="1"} 4',
    'ledger_consumer_lag_total 100',
    'ledger_events_dead_lettered_total 2',
    'ingest_outbox_backlog 0',
    'weird_metric{label="} 9"} NaN',
  ].join('\n');

  it('adds every sample of the named metric, and only of that name', () => {
    expect(sumMetric(text, 'ledger_consumer_lag')).toBe(7);
    expect(sumMetric(text, 'ledger_events_dead_lettered_total')).toBe(2);
    expect(sumMetric(text, 'ingest_outbox_backlog')).toBe(0);
  });

  it('answers undefined for a metric the text does not have, or whose samples are not numbers', () => {
    expect(sumMetric(text, 'debit_consumer_lag')).toBeUndefined();
    expect(sumMetric(text, 'weird_metric')).toBeUndefined();
    expect(sumMetric('', 'x')).toBeUndefined();
  });
});
