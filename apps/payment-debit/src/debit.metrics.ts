import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * What an operator watches on payment-debit; UNKNOWN outcomes need a human. The outbox's, `debit_outbox_…`, come from
 * OutboxModule; the consumer's (`debit_consumer_lag`, `debit_commands_in_flight`, `debit_dead_lettered_total`, …) from
 * its transport (`consumer/debit-transport.ts`).
 */
@Injectable()
export class DebitMetrics {
  readonly outcomes: Counter<'state'>;
  readonly skipped: Counter<'reason'>;
  readonly bixiCalls: Counter<'result'>;
  readonly bixiSeconds: Histogram;
  readonly limitExceeded: Counter<'scope' | 'measure'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.outcomes = new Counter({
      name: 'debit_outcomes_total',
      help: 'Commands that reached a final state, by state',
      labelNames: ['state'],
      registers,
    });
    this.skipped = new Counter({
      name: 'debit_commands_skipped_total',
      help: 'Deliveries not sent to Bixi (duplicate, conflict)',
      labelNames: ['reason'],
      registers,
    });
    this.limitExceeded = new Counter({
      name: 'debit_limit_exceeded_total',
      help: 'Commands DECLINED with LIMIT_EXCEEDED (never sent to Bixi), by limit: scope perAccount|perRequester, measure maxCount|maxAmount',
      labelNames: ['scope', 'measure'],
      registers,
    });
    this.bixiCalls = new Counter({ name: 'debit_bixi_calls_total', help: 'Bixi calls by wire result', labelNames: ['result'], registers });
    this.bixiSeconds = new Histogram({
      name: 'debit_bixi_call_seconds',
      help: 'Duration of one Bixi call',
      registers,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    });
  }
}
