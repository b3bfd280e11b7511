import type { MmEvent } from '@mm/contracts';
import type { IncomingEvent } from '../record-events/event-store';

/** What booking one correction reads and writes, in one transaction under the lock of its original event. */
export interface CorrectionJournalTransaction {
  /** True when the event is already in the ledger (a redelivery: nothing to do). */
  isStored(eventId: string): Promise<boolean>;
  original(eventId: string): Promise<MmEvent | undefined>;
  /** Minor units of the original already reversed by booked corrections. */
  bookedTotal(originalEventId: string): Promise<bigint>;
  /** Stores the event with its (balanced) lines. */
  store(event: IncomingEvent): Promise<void>;
}

/** Port: the ledger's journal as corrections see it. */
export interface CorrectionJournal {
  underOriginalLock<T>(originalEventId: string, work: (tx: CorrectionJournalTransaction) => Promise<T>): Promise<T>;
}

export const CORRECTION_JOURNAL = Symbol('CORRECTION_JOURNAL');
