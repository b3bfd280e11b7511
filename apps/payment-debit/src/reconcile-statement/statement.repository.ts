import type { BreakStatus, BreakSummary, BreakType, BreakView, StatementImportResult } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import type { ParsedStatement } from './statement';

export const STATEMENT_REPOSITORY = Symbol('STATEMENT_REPOSITORY');

export interface BreakFilter {
  type?: BreakType;
  status?: BreakStatus;
  statementId?: string;
  /** Breaks strictly older than this breakId (uuidv7, so in time order): the cursor of the previous page. */
  before?: string;
  limit: number;
}

/** The import's answer, and whether it is the stored answer of an earlier import of the same content. */
export interface ImportOutcome {
  result: StatementImportResult;
  replayed: boolean;
}

export type CloseResult = { kind: 'closed'; view: BreakView } | { kind: 'not_found' } | { kind: 'already_closed'; view: BreakView };

/** Statements, their lines and the breaks matching finds, in payment-debit's database. */
export interface StatementRepository {
  /**
   * Stores a statement once and matches its new lines, in one transaction: UNKNOWN debits resolved, breaks found,
   * the import audited. The same content again gets the answer stored the first time and changes nothing.
   */
  importBixi(statement: ParsedStatement, operator: Operator, windowMs: number): Promise<ImportOutcome>;
  /** Newest first; one extra row is fetched so the caller can tell whether a next page exists. */
  listBreaks(filter: BreakFilter): Promise<BreakView[]>;
  summary(): Promise<BreakSummary>;
  /** Closes an open break with the operator's reason, audited in the same transaction. */
  closeBreak(breakId: string, operator: Operator, reason: string): Promise<CloseResult>;
  /** Records that an operator exported breaks (what was asked for), as every operator action is. */
  recordExport(operator: Operator, filter: Omit<BreakFilter, 'before' | 'limit'>): Promise<void>;
}
