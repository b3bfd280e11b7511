import { z } from 'zod';
import { pageSchema } from './api-error';

/**
 * Reconciliation breaks (SPEC §9): what a statement (Bixi's, or a provider's settlement statement) and our books
 * disagree on. payment-debit keeps the breaks of Bixi statements, the ledger those of provider statements; both
 * serve them in this one shape.
 */
export const BREAK_TYPES = ['MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS'] as const;
export const BreakTypeSchema = z.enum(BREAK_TYPES);
export type BreakType = z.infer<typeof BreakTypeSchema>;

export const BREAK_STATUSES = ['OPEN', 'CLOSED'] as const;
export const BreakStatusSchema = z.enum(BREAK_STATUSES);
export type BreakStatus = z.infer<typeof BreakStatusSchema>;

/** One break with the rows on both sides: the statement line(s) as imported and our record(s), either may be empty. */
export const BreakViewSchema = z.object({
  breakId: z.string(),
  type: BreakTypeSchema,
  status: BreakStatusSchema,
  statementId: z.string().nullable(),
  /** The statement's side: each line as imported (its columns by name). */
  statementRows: z.array(z.record(z.string(), z.string())),
  /** Our side: the command or payment the line was compared with (its fields by name). */
  bookRows: z.array(z.record(z.string(), z.string())),
  detail: z.string().describe('what differs, in words'),
  createdAt: z.iso.datetime({ offset: true }),
  closedAt: z.iso.datetime({ offset: true }).nullable(),
  closedBy: z.string().nullable(),
  closeReason: z.string().nullable(),
});
export type BreakView = z.infer<typeof BreakViewSchema>;
export const BreakPageSchema = pageSchema(BreakViewSchema);

/** `POST …/breaks/:breakId/close`: an operator closes a break, always with a reason. */
export const CloseBreakSchema = z.object({ reason: z.string().trim().min(3).max(1024) }).strict();
export type CloseBreak = z.infer<typeof CloseBreakSchema>;

/** Open breaks counted by type (the daily report's block and `GET …/breaks/summary`). */
export const BreakSummarySchema = z.object({
  open: z.array(z.object({ type: BreakTypeSchema, count: z.number().int().nonnegative() })),
});
export type BreakSummary = z.infer<typeof BreakSummarySchema>;

/**
 * One CSV cell, safe to open in a spreadsheet: quoted when needed, and a cell that a spreadsheet would read as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'` so it stays text.
 */
export function csvCell(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (RFC 4180 line ending) from its cells. */
export const csvRecord = (cells: readonly (string | number | bigint | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;
