import type { MmEvent } from '@mm/contracts';

export interface IncomingEvent {
  event: MmEvent;
  topic: string;
  partition: number;
  offset: string;
}

/** Port: stores events once each, with their postings, in one transaction. Returns the ids that were new. */
export interface EventStore {
  persist(batch: IncomingEvent[]): Promise<string[]>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
