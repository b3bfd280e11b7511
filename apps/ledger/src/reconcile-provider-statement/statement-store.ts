import type { BreakType, ProviderStatementImport } from '@mm/contracts';
import type { OperatorAction } from '@mm/platform';
import type { BookPayment, FoundBreak, StoredLine } from './match-statement';
import type { StatementRow } from './read-statement';

export interface TransactionKeys {
  providerIds: string[];
  transactionIds: string[];
}

/** The statement's work inside one transaction that holds the import lock (imports never interleave). */
export interface StatementTx {
  findByHash(contentHash: string): Promise<ProviderStatementImport | undefined>;
  paymentsFor(keys: TransactionKeys): Promise<BookPayment[]>;
  storedLinesFor(keys: TransactionKeys): Promise<StoredLine[]>;
  /** Payments of these providers on these UTC days that neither an earlier statement nor `keys` lists. */
  unlistedPayments(providers: string[], days: string[], keys: TransactionKeys): Promise<BookPayment[]>;
  insertLines(statementId: string, rows: StatementRow[]): Promise<void>;
  /** Records the breaks not recorded yet (by type and key) and answers the types of those it recorded. */
  insertBreaks(statementId: string, breaks: FoundBreak[]): Promise<BreakType[]>;
  insertStatement(result: ProviderStatementImport): Promise<void>;
  audit(action: OperatorAction): Promise<void>;
}

export type CloseOutcome = 'closed' | 'not_found' | 'already_closed';

/** Port: provider statements and their breaks. */
export interface StatementStore {
  importing<T>(work: (tx: StatementTx) => Promise<T>): Promise<T>;
  /** Appends the break's closure and its audit record in one transaction. */
  closeBreak(breakId: string, reason: string, action: OperatorAction): Promise<CloseOutcome>;
}

export const STATEMENT_STORE = Symbol('STATEMENT_STORE');
