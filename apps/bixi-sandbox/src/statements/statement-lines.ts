import { BIXI_STATEMENT_COLUMNS, BIXI_STATEMENT_CSV_HEADER, csvRecord } from '@mm/contracts';
import { centsToJsonNumber } from '../pay/charges';
import { withMoneyNumbers, type SandboxTransaction } from '../pay/transaction-response';

export type StatementFormat = 'csv' | 'jsonl';

/** A transaction's statement columns: the seed transaction's attributes (amounts as decimal text). */
function columnsOf(t: SandboxTransaction): Record<(typeof BIXI_STATEMENT_COLUMNS)[number], string> {
  return {
    id: t.id,
    receiptId: t.receiptId,
    referenceId: t.referenceId,
    accountNumber: t.accountNumber,
    accountType: t.accountType,
    issuer: t.issuer,
    status: t.status,
    currency: t.currency,
    issuerTransactionId: t.issuerTransactionId,
    amount: centsToJsonNumber(t.amountCents),
    charges: centsToJsonNumber(t.chargesCents),
    total: centsToJsonNumber(t.totalCents),
    created: t.created,
  };
}

/** One JSON object per line, amounts as JSON numbers (as the seed writes them), exact from integer cents. */
const jsonLine = (t: SandboxTransaction): string =>
  withMoneyNumbers(JSON.stringify({ ...columnsOf(t), amount: '@amount', charges: '@charges', total: '@total' }), t) + '\n';

/** The statement text of some transactions: CSV with the header line, or JSON lines. */
export function statementText(transactions: readonly SandboxTransaction[], format: StatementFormat): string {
  if (format === 'jsonl') return transactions.map(jsonLine).join('');
  const rows = transactions.map((t) => csvRecord(BIXI_STATEMENT_COLUMNS.map((c) => columnsOf(t)[c])));
  return `${BIXI_STATEMENT_CSV_HEADER}\r\n${rows.join('')}`;
}
