import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isBalanced } from '../../postings/chart-of-accounts';
import { storeEvents } from '../../record-events/postgres/event-store.pg';
import type { CorrectionJournal, CorrectionJournalTransaction } from '../correction-journal';
import { bookedCorrectionsTotal, lockOriginal, readStoredEvent } from './originals.pg';

/** Corrections booked in the ledger's own tables, one transaction each, under the advisory lock of their original. */
@Injectable()
export class PgCorrectionJournal implements CorrectionJournal {
  constructor(private readonly dataSource: DataSource) {}

  underOriginalLock<T>(originalEventId: string, work: (tx: CorrectionJournalTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await lockOriginal(tx, originalEventId);
      return work({
        isStored: async (eventId) => ((await tx.query(`select 1 from events where id = $1`, [eventId])) as unknown[]).length > 0,
        original: async (eventId) => {
          const stored = await readStoredEvent(tx, eventId);
          return stored && 'event' in stored ? stored.event : undefined;
        },
        bookedTotal: (originalEventId) => bookedCorrectionsTotal(tx, originalEventId),
        store: async (event) => {
          if (!isBalanced(event.lines)) throw new Error(`correction ${event.event.id} produced unbalanced postings`);
          await storeEvents(tx, [event]);
        },
      });
    });
  }
}
