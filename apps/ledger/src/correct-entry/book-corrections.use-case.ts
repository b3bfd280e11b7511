import { LEDGER_CORRECTION_APPROVED } from '@mm/contracts';
import type { BatchOutcome, ReceivedBatch, Rejection } from '@mm/platform';
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
      const parsed = m.parsed;
      if (!parsed.ok) {
        rejected.push({ offset: m.offset, reason: parsed.reason, ...(parsed.eventId ? { eventId: parsed.eventId } : {}) });
        continue;
      }
      const event = parsed.event;
      const refusal = event.type === LEDGER_CORRECTION_APPROVED ? sourceRefusal(this.config, event) : `${event.type} is not a correction`;
      if (refusal || event.type !== LEDGER_CORRECTION_APPROVED) {
        rejected.push({ offset: m.offset, reason: refusal ?? 'not a correction', eventId: event.id });
        continue;
      }
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
      else rejected.push({ offset: m.offset, reason: outcome, eventId: event.id });
    }
    return { rejected };
  }
}
