import type { FlowReport, OpenSuspense, Overview } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { sumMetric } from '../upstream/prometheus';
import { ServicesClient } from '../upstream/services.client';
import { suspenseByAge } from './suspense-by-age';

export const FLOW_MINUTES = 60;
const UNKNOWN_PAGE = 500;
const COLUMN_OF_TYPE: Record<string, keyof Omit<Overview['flow'][number], 'minute'>> = {
  'mm.payment.received.v1': 'payments',
  'mm.debit.approved.v1': 'approved',
  'mm.debit.declined.v1': 'declined',
  'mm.debit.failed.v1': 'failed',
  'mm.debit.outcome-unknown.v1': 'unknown',
};

/** Every minute of the window, oldest first, with zeros where the ledger booked nothing. */
export function flowSeries(report: FlowReport): Overview['flow'] {
  const start = Date.parse(report.from);
  const rows = Array.from({ length: report.minutes }, (_, i) => ({
    minute: new Date(start + i * 60_000).toISOString(),
    payments: 0,
    approved: 0,
    declined: 0,
    failed: 0,
    unknown: 0,
  }));
  for (const b of report.buckets) {
    const column = COLUMN_OF_TYPE[b.type];
    const row = rows[Math.round((Date.parse(b.minute) - start) / 60_000)];
    if (column && row) row[column] += b.count;
  }
  return rows;
}

/** The flow at a glance, from the services' own HTTP endpoints (read APIs and /metrics), never their databases. */
@Injectable()
export class OverviewService {
  constructor(private readonly services: ServicesClient) {}

  async overview(operator: Operator): Promise<Overview> {
    const [flow, suspense, unknown, ingest, debit, ledger] = await Promise.all([
      this.services.get<FlowReport>('ledger', `/v1/reports/flow?minutes=${FLOW_MINUTES}`, operator),
      // One item is enough: the buckets count every open UNKNOWN, whatever the page size.
      this.services.get<OpenSuspense>('ledger', '/v1/suspense?limit=1', operator),
      this.services.get<{ items: unknown[]; nextCursor: string | null }>(
        'payment-debit',
        `/v1/debits?state=UNKNOWN&limit=${UNKNOWN_PAGE}`,
        operator,
      ),
      this.services.metrics('notification-ingest'),
      this.services.metrics('payment-debit'),
      this.services.metrics('ledger'),
    ]);
    const unavailable: string[] = [];
    if (flow.status !== 200) unavailable.push('ledger flow report');
    if (suspense.status !== 200) unavailable.push('ledger open suspense');
    if (unknown.status !== 200) unavailable.push('payment-debit UNKNOWN queue');
    for (const [name, text] of [
      ['notification-ingest metrics', ingest],
      ['payment-debit metrics', debit],
      ['ledger metrics', ledger],
    ] as const)
      if (text === undefined) unavailable.push(name);
    const metric = (text: string | undefined, name: string) => (text === undefined ? null : (sumMetric(text, name) ?? 0));
    return {
      at: new Date().toISOString(),
      flow: flow.status === 200 ? flowSeries(flow.body) : [],
      ingestOutbox: {
        backlog: metric(ingest, 'ingest_outbox_backlog'),
        oldestAgeSeconds: metric(ingest, 'ingest_outbox_oldest_age_seconds'),
      },
      debitOutbox: { backlog: metric(debit, 'debit_outbox_backlog'), oldestAgeSeconds: metric(debit, 'debit_outbox_oldest_age_seconds') },
      consumerLag: [
        { service: 'payment-debit', lag: metric(debit, 'debit_consumer_lag') },
        { service: 'ledger', lag: metric(ledger, 'ledger_consumer_lag') },
      ],
      deadLetters: [
        { service: 'payment-debit', total: metric(debit, 'debit_dead_lettered_total') },
        { service: 'ledger', total: metric(ledger, 'ledger_events_dead_lettered_total') },
      ],
      unknownDebits:
        unknown.status === 200
          ? { count: unknown.body.items.length, capped: unknown.body.nextCursor !== null }
          : { count: null, capped: false },
      suspenseByAge: suspense.status === 200 ? suspenseByAge(suspense.body.byAge) : null,
      unavailable,
    };
  }
}
