import type { CorrectionState, CorrectionView, Money, MmEvent } from '@mm/contracts';
import type { Operator, OperatorAction } from '@mm/platform';

/** Why a correction request was refused; the HTTP adapter maps each code to a status. */
export type CorrectionErrorCode =
  'NOT_FOUND' | 'ORIGINAL_NOT_FOUND' | 'NOT_CORRECTABLE' | 'CURRENCY_MISMATCH' | 'EXCEEDS_REMAINING' | 'OWN_PROPOSAL' | 'ALREADY_DECIDED';

export class CorrectionError extends Error {
  constructor(
    readonly code: CorrectionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CorrectionError';
  }
}

export type Correction = CorrectionView;

export interface NewProposal {
  id: string;
  originalEventId: string;
  originalType: string;
  amount: Money;
  reason: string;
  makerId: string;
}

export interface CorrectionListFilter {
  state?: CorrectionState;
  limit: number;
  /** Rows strictly older than this (proposedAt, id) key: the cursor of the previous page. */
  before?: { at: string; id: string };
}

/** What one correction does in its transaction, under the lock on its original event. */
export interface CorrectionTransaction {
  /** The original event as booked in the ledger, or undefined when the ledger has no such event. */
  original(eventId: string): Promise<{ event: MmEvent } | { unparsable: string } | undefined>;
  /** Minor units already reversed of the original by approved corrections. */
  approvedTotal(eventId: string): Promise<bigint>;
  insert(p: NewProposal): Promise<Correction>;
  /** The proposal, locked until the transaction ends. */
  lock(id: string): Promise<Correction | undefined>;
  approve(id: string, checkerId: string, correctionId: string): Promise<Correction>;
  reject(id: string, checkerId: string, reason: string): Promise<Correction>;
  /** Adds the approved correction's event to the ledger's outbox. */
  publish(event: { id: string; key: string; value: string; headers: Record<string, string> }): Promise<void>;
  audit(action: OperatorAction): Promise<void>;
}

/** Port: the proposals and their decisions, each change in one transaction with its audit record (and its event). */
export interface CorrectionRepository {
  /** Runs `work` in one transaction holding the advisory lock of `originalEventId` (one decision per original at a time). */
  underOriginalLock<T>(originalEventId: string, work: (tx: CorrectionTransaction) => Promise<T>): Promise<T>;
  find(id: string): Promise<Correction | undefined>;
  list(f: CorrectionListFilter): Promise<Correction[]>;
  /** Wakes the outbox relay after a commit that published. */
  notifyPublished(): void;
}

export const CORRECTION_REPOSITORY = Symbol('CORRECTION_REPOSITORY');

export type { Operator };
