import { LEDGER_CORRECTION_APPROVED } from '@mm/contracts';
import type { BatchOutcome, ReceivedBatch, ReceivedMessage, Rejection } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import { LedgerMetrics } from '../ledger.metrics';
import { sourceRefusal } from '../record-events/record-events.use-case';
import { bookCorrection } from './book-correction';
import { CORRECTION_JOURNAL, type CorrectionJournal } from './correction-journal';

/**
 * Books the approved corrections of one batch of the correction topic, each in its own transaction under the lock of
 * its original: the reverse postings of the original entry for the corrected amount. A correction whose original is
 * missing or of another type, or that would reverse more than is left, is dead-lettered with the reason and books
 * nothing; a redelivered one (already stored) books nothing again.
 */
@Injectable()
export class BookCorrectionsUseCase {
  constructor(
    @Inject(CORRECTION_JOURNAL) private readonly journal: CorrectionJournal,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly metrics: LedgerMetrics,
  ) {}

  async record({ topic, partition, messages }: ReceivedBatch): Promise<BatchOutcome> {
    const rejected: Rejection[] = [];
    for (const m of messages) {
      const refusal = await this.bookOne(m, topic, partition);
      if (refusal) rejected.push(refusal);
    }
    return { rejected };
  }

  /** Books one message in its own transaction; the rejection (for the DLQ) when it is not a bookable correction. */
  private async bookOne(m: ReceivedMessage, topic: string, partition: number): Promise<Rejection | undefined> {
    const parsed = m.parsed;
    if (!parsed.ok) return { offset: m.offset, reason: parsed.reason, ...(parsed.eventId ? { eventId: parsed.eventId } : {}) };
    const event = parsed.event;
    // The transport admits only corrections on this topic; anything else is refused all the same, never booked.
    if (event.type !== LEDGER_CORRECTION_APPROVED)
      return { offset: m.offset, reason: `${event.type} is not a correction`, eventId: event.id };
    const source = sourceRefusal(this.config, event);
    if (source) return { offset: m.offset, reason: source, eventId: event.id };
    const outcome = await this.journal.underOriginalLock(event.data.originalEventId, async (tx) => {
      if (await tx.isStored(event.id)) return 'duplicate' as const;
      const original = event.data.originalEventId;
      const booking = bookCorrection(event, await tx.original(original), await tx.bookedTotal(original));
      if (!booking.ok) return booking.reason;
      await tx.store({ event, topic, partition, offset: m.offset, raw: m.value!.toString('utf8'), lines: booking.lines });
      return 'booked' as const;
    });
    if (outcome === 'booked') this.metrics.eventsStored.inc({ topic });
    else if (outcome === 'duplicate') this.metrics.duplicates.inc({ topic });
    else return { offset: m.offset, reason: outcome, eventId: event.id };
    return undefined;
  }
}
