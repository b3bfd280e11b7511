import { csvRecord, type BreakView } from '@mm/contracts';

const COLUMNS = [
  'breakId',
  'type',
  'status',
  'statementId',
  'lineKeys',
  'receiptIds',
  'accountNumbers',
  'commandIds',
  'detail',
  'createdAt',
  'closedAt',
  'closedBy',
  'closeReason',
  'statementRows',
  'bookRows',
] as const;

/** The distinct values of one member across rows, joined: a line key, a receipt, an account at a glance. */
const values = (rows: Record<string, string>[], key: string) => [...new Set(rows.map((r) => r[key]).filter(Boolean))].join(' ');

export const breakCsvHeader = (): string => csvRecord(COLUMNS);

/** One break as a CSV record; every cell through csvCell, so `=cmd|…` from a statement stays text. */
export function breakCsvRecord(b: BreakView): string {
  const cells: Record<(typeof COLUMNS)[number], string | null> = {
    breakId: b.breakId,
    type: b.type,
    status: b.status,
    statementId: b.statementId,
    lineKeys: values(b.statementRows, 'id'),
    receiptIds: values([...b.statementRows, ...b.bookRows], 'receiptId'),
    accountNumbers: values([...b.statementRows, ...b.bookRows], 'accountNumber'),
    commandIds: values(b.bookRows, 'commandId'),
    detail: b.detail,
    createdAt: b.createdAt,
    closedAt: b.closedAt,
    closedBy: b.closedBy,
    closeReason: b.closeReason,
    statementRows: JSON.stringify(b.statementRows),
    bookRows: JSON.stringify(b.bookRows),
  };
  return csvRecord(COLUMNS.map((c) => cells[c]));
}
