import type { BixiStatementEntry, BreakType, Money } from '@mm/contracts';

/** One line of an imported statement: its money in minor units, its columns as written, and where it was. */
export interface StatementLine extends BixiStatementEntry {
  lineNo: number;
  columns: Record<string, string>;
}

export interface ParsedStatement {
  sha256: Buffer;
  lines: StatementLine[];
}

export type StatementErrorCode = 'too_large' | 'malformed' | 'wrong_columns';

/** Why a statement was refused as a whole (nothing of it is stored): the line and field, when one is to blame. */
export class StatementError extends Error {
  constructor(
    readonly code: StatementErrorCode,
    message: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(line === undefined ? message : `line ${line}${field ? `, ${field}` : ''}: ${message}`);
    this.name = 'StatementError';
  }
}

/** A debit command as matching sees it. */
export interface BookCommand {
  commandId: string;
  state: string;
  accountNumber: string;
  accountType: string;
  receiptId: string;
  amount: Money;
  submittedAt: Date | null;
  resolvedAt: Date | null;
  bixiTransactionId: string | null;
  chargesMinor: string | null;
  totalMinor: string | null;
  correlationId: string;
  causationId: string | null;
}

/** A break as matching finds it; `key` keeps one found again (an overlapping statement) from being stored twice. */
export interface BreakDraft {
  key: string;
  type: BreakType;
  statementRows: Record<string, string>[];
  bookRows: Record<string, string>[];
  detail: string;
}

/** Our side of a break: the command's fields by name. */
export const bookRow = (c: BookCommand): Record<string, string> => ({
  commandId: c.commandId,
  state: c.state,
  accountNumber: c.accountNumber,
  receiptId: c.receiptId,
  amountMinor: c.amount.amountMinor,
  currency: c.amount.currency,
  chargesMinor: c.chargesMinor ?? '',
  totalMinor: c.totalMinor ?? '',
  bixiTransactionId: c.bixiTransactionId ?? '',
  submittedAt: c.submittedAt?.toISOString() ?? '',
});
