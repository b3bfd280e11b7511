import type { Admission } from './topic-gate';
import type { Rejection } from './kafka-transport.types';

/** One fetched batch of one partition as the runners see it: its admitted messages and what they may do with it. */
export interface BatchContext {
  topic: string;
  partition: number;
  /** Every message of the batch, in offset order, as the gate judged it. */
  admissions: Admission[];
  /** Stores `offset + 1` as the group's position and marks `offset` resolved. Only ever called after the work is stored. */
  commit(lastDone: string): Promise<void>;
  deadLetter(rejections: Rejection[]): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the batch went stale (a rebalance took the partition away). */
  active(): boolean;
}

/** Where a batch ended: the offset to count lag from, and the transient failure that hands it back, if any. */
export interface BatchResult {
  nextOffset: string;
  failure?: unknown;
}

export const offsetOf = (a: Admission): string => (a.admitted ? a.message.offset : a.rejection.offset);
