import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** The ledger's own metrics; the consumer transport adds ledger_consumer_lag and ledger_events_dead_lettered_total. */
@Injectable()
export class LedgerMetrics {
  readonly eventsStored: Counter<'topic'>;
  readonly duplicates: Counter<'topic'>;
  readonly batchSeconds: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.eventsStored = new Counter({
      name: 'ledger_events_stored_total',
      help: 'Events stored for the first time',
      labelNames: ['topic'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'ledger_events_duplicate_total',
      help: 'Redelivered events ignored',
      labelNames: ['topic'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'ledger_batch_persist_seconds',
      help: 'Time to persist one batch',
      registers,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    });
  }
}
