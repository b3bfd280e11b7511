import { flowSeries } from './overview.service';

describe('flowSeries', () => {
  it('gives every minute of the window oldest first, with the counts the ledger reported and zeros elsewhere', () => {
    const series = flowSeries({
      from: '2026-01-01T10:00:00.000Z',
      minutes: 3,
      buckets: [
        { minute: '2026-01-01T10:00:00.000Z', type: 'mm.payment.received.v1', count: 4 },
        { minute: '2026-01-01T10:02:00.000Z', type: 'mm.debit.approved.v1', count: 2 },
        { minute: '2026-01-01T10:02:00.000Z', type: 'mm.debit.outcome-unknown.v1', count: 1 },
        { minute: '2026-01-01T10:02:00.000Z', type: 'mm.debit.requested.v1', count: 9 },
        // Outside the window (the clock turned between the two queries): left out, never misplaced.
        { minute: '2026-01-01T10:03:00.000Z', type: 'mm.payment.received.v1', count: 5 },
      ],
    });
    expect(series).toEqual([
      { minute: '2026-01-01T10:00:00.000Z', payments: 4, approved: 0, declined: 0, failed: 0, unknown: 0 },
      { minute: '2026-01-01T10:01:00.000Z', payments: 0, approved: 0, declined: 0, failed: 0, unknown: 0 },
      { minute: '2026-01-01T10:02:00.000Z', payments: 0, approved: 2, declined: 0, failed: 0, unknown: 1 },
    ]);
  });
});
