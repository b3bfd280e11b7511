import { csvRecord, type BreakView } from '@mm/contracts';

const COLUMNS = [
  'breakId',
  'type',
  'status',
  'statementId',
  'providerId',
  'transactionId',
  'detail',
  'statementRows',
  'bookRows',
  'createdAt',
  'closedAt',
  'closedBy',
  'closeReason',
];

export const BREAKS_CSV_HEADER = csvRecord(COLUMNS);

/**
 * One CSV record per break; every cell goes through `csvCell`, so a value a spreadsheet would run as a formula
 * (`=cmd|' /C calc'!A0` as a transaction id) stays text. The transaction is the first row's (statement side, else
 * books side); the rows of both sides are JSON text in one cell each.
 */
export const breakRecord = (b: BreakView): string => {
  const side = b.statementRows[0] ?? b.bookRows[0] ?? {};
  return csvRecord([
    b.breakId,
    b.type,
    b.status,
    b.statementId,
    side.providerId,
    side.transactionId,
    b.detail,
    JSON.stringify(b.statementRows),
    JSON.stringify(b.bookRows),
    b.createdAt,
    b.closedAt,
    b.closedBy,
    b.closeReason,
  ]);
};
