import { isPermanentDataError, type BatchOutcome, type ReceivedBatch, type Rejection } from '@mm/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MmEvent } from '@mm/contracts';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import { LedgerMetrics } from '../ledger.metrics';
import { book } from '../postings/chart-of-accounts';
import { EVENT_STORE, type EventStore, type IncomingEvent } from './event-store';

/**
 * Records one batch of events: each is checked (schema, allowed source, a booking that balances) and what passes is
 * stored with its postings in one transaction; the rest is returned as rejected with the reason, for the DLQ. A
 * transient failure (database down) throws, and the batch is redelivered; the unique event id makes that a no-op for
 * what was already stored. The event's type was already checked against its topic by the transport.
 */
@Injectable()
export class RecordEventsUseCase {
  private readonly logger = new Logger(RecordEventsUseCase.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly metrics: LedgerMetrics,
  ) {}

  async record(batch: ReceivedBatch): Promise<BatchOutcome> {
    const { good, rejected } = this.check(batch);
    const started = process.hrtime.bigint();
    const stored = await this.persistIsolatingBadRows(good);
    this.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.eventsStored.inc({ topic: batch.topic }, stored.fresh);
    this.metrics.duplicates.inc({ topic: batch.topic }, good.length - stored.rejected.length - stored.fresh);
    return { rejected: [...rejected, ...stored.rejected] };
  }

  /** An event is accepted only if valid, from an allowed source where LEDGER_ALLOWED_SOURCES names some, and bookable. */
  private check({ topic, partition, messages }: ReceivedBatch): { good: IncomingEvent[]; rejected: Rejection[] } {
    const good: IncomingEvent[] = [];
    const rejected: Rejection[] = [];
    for (const m of messages) {
      const parsed = m.parsed;
      if (!parsed.ok) {
        rejected.push({ offset: m.offset, reason: parsed.reason, ...(parsed.eventId ? { eventId: parsed.eventId } : {}) });
        continue;
      }
      const refusal = sourceRefusal(this.config, parsed.event);
      if (refusal) {
        rejected.push({ offset: m.offset, reason: refusal, eventId: parsed.event.id });
        continue;
      }
      const booking = book(parsed.event);
      if (!booking.ok) rejected.push({ offset: m.offset, reason: booking.reason, eventId: parsed.event.id });
      else good.push({ event: parsed.event, raw: m.value!.toString('utf8'), topic, partition, offset: m.offset, lines: booking.lines });
    }
    return { good, rejected };
  }

  /** One transaction for the batch; if the database refuses its data, row by row so only the bad rows are rejected. */
  private async persistIsolatingBadRows(good: IncomingEvent[]): Promise<{ fresh: number; rejected: Rejection[] }> {
    try {
      return { fresh: (await this.store.persist(good)).length, rejected: [] };
    } catch (error) {
      // Rethrown without the query's parameters (whole envelopes, with phone numbers and names), which kafkajs would log.
      if (!isPermanentDataError(error)) throw new Error(`could not persist the batch: ${(error as Error).message}`);
      this.logger.warn({ err: (error as Error).message }, 'batch refused by the database; isolating the bad rows');
    }
    let fresh = 0;
    const rejected: Rejection[] = [];
    for (const g of good) {
      try {
        fresh += (await this.store.persist([g])).length;
      } catch (error) {
        if (!isPermanentDataError(error)) throw new Error(`could not persist event ${g.event.id}: ${(error as Error).message}`);
        rejected.push({ offset: g.offset, eventId: g.event.id, reason: `refused by the database: ${(error as Error).message}` });
      }
    }
    return { fresh, rejected };
  }
}

/** Why `event` may not be booked from its source (LEDGER_ALLOWED_SOURCES names the sources of its type), if it may not. */
export function sourceRefusal(config: Pick<LedgerConfig, 'LEDGER_ALLOWED_SOURCES'>, event: MmEvent): string | undefined {
  const sources = config.LEDGER_ALLOWED_SOURCES[event.type];
  if (!sources || sources.some((s) => event.source === s || event.source.startsWith(`${s}/`))) return undefined;
  return `source ${event.source.slice(0, 200)} may not publish ${event.type}`;
}
