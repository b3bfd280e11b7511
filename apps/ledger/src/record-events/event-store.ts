import type { MmEvent } from '@mm/contracts';
import type { PostingLine } from '../postings/chart-of-accounts';

export interface IncomingEvent {
  event: MmEvent;
  topic: string;
  partition: number;
  offset: string;
  /** The message value as received (already parsed once): the full envelope, unknown extra fields included. */
  raw: string;
  /** The journal lines the event books (already checked to balance); empty for events that move no money. */
  lines: PostingLine[];
}

/** Port: stores events once each, with their postings, in one transaction. Returns the ids that were new. */
export interface EventStore {
  persist(batch: IncomingEvent[]): Promise<string[]>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
