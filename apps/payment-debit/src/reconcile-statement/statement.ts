import type { BixiStatementEntry, BreakType, Money } from '@mm/contracts';

/** One line of an imported statement: its money in minor units, its columns as written, and where it was. */
export interface StatementLine extends BixiStatementEntry {
  lineNo: number;
  columns: Record<string, string>;
}

export interface ParsedStatement {
  sha256: Buffer;
  lines: StatementLine[];
  /** The UTC days the statement declares complete (`?period=`): every Bixi transaction created on them is listed. */
  period?: StatementPeriod;
}

/** Inclusive UTC days, `YYYY-MM-DD`. */
export interface StatementPeriod {
  from: string;
  to: string;
}

export type StatementErrorCode = 'too_large' | 'malformed' | 'wrong_columns' | 'invalid_period';

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

const DAY_MS = 86_400_000;
const MAX_PERIOD_DAYS = 31;

/** `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD` (at most 31 days, in order); StatementError otherwise. */
export function parsePeriod(text: string): StatementPeriod {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(text);
  const from = match?.[1];
  const to = match?.[2] ?? from;
  const valid = (d: string | undefined): d is string => !!d && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (!match || !valid(from) || !valid(to)) throw new StatementError('invalid_period', 'period is YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1 || days > MAX_PERIOD_DAYS)
    throw new StatementError('invalid_period', `period must run forward and cover at most ${MAX_PERIOD_DAYS} days`);
  return { from, to };
}

/** The instants the period covers: [start of `from`, start of the day after `to`). */
export const periodBounds = (p: StatementPeriod): { start: Date; end: Date } => ({
  start: new Date(`${p.from}T00:00:00Z`),
  end: new Date(Date.parse(`${p.to}T00:00:00Z`) + DAY_MS),
});

/** A statement declared complete for a period lists nothing created outside it. */
export function checkLinesInPeriod(statement: ParsedStatement): void {
  if (!statement.period) return;
  const { start, end } = periodBounds(statement.period);
  for (const line of statement.lines) {
    const created = Date.parse(line.created);
    if (created < start.getTime() || created >= end.getTime())
      throw new StatementError('invalid_period', `created ${line.created} is outside the declared period`, line.lineNo, 'created');
  }
}
