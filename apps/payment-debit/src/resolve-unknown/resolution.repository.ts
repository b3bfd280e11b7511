import type { Operator, OperatorAction } from '@mm/platform';
import type { SettledOutcome } from '../debits/bixi-outcome';
import type { OutgoingEvent, StoredDebit } from '../debits/debit.repository';
import type { ProposeResolution, ResolutionProposal } from './resolution-proposal';
import type { ResolutionState } from '@mm/contracts';

export interface ProposalFilter {
  state?: ResolutionState;
  commandId?: string;
  /** Proposals strictly older than this (time, id) key: the cursor of the previous page. */
  before?: { at: string; id: string };
  limit: number;
}

/** One database transaction of a resolution step: every read locks what it returns, every write commits together. */
export interface ResolutionTx {
  /** The command, locked (FOR UPDATE) until the transaction ends. */
  lockCommand(commandId: string): Promise<StoredDebit | undefined>;
  openProposalOf(commandId: string): Promise<string | undefined>;
  insert(proposalId: string, commandId: string, draft: ProposeResolution, maker: Operator): Promise<ResolutionProposal>;
  /** The proposal, locked (FOR UPDATE): a concurrent decision waits for this one and then sees it. */
  lockProposal(proposalId: string): Promise<ResolutionProposal | undefined>;
  decide(proposalId: string, state: 'APPROVED' | 'REJECTED', checkerId: string, reason: string | null): Promise<ResolutionProposal>;
  /** resolveUnknown: the command's outcome and its outcome-resolved event; false if it is no longer UNKNOWN. */
  resolve(commandId: string, outcome: SettledOutcome, event: OutgoingEvent): Promise<boolean>;
  audit(action: OperatorAction): Promise<void>;
}

export const RESOLUTION_REPOSITORY = Symbol('RESOLUTION_REPOSITORY');

export interface ResolutionRepository {
  /** Runs `work` in one transaction; wakes the outbox relay after a commit that resolved a command. */
  inTransaction<T>(work: (tx: ResolutionTx) => Promise<T>): Promise<T>;
  find(proposalId: string): Promise<ResolutionProposal | undefined>;
  /** Newest first, `limit + 1` rows (the extra one says whether a next page exists). */
  list(filter: ProposalFilter): Promise<ResolutionProposal[]>;
}
