import type { Currency } from '@mm/contracts';
import type { BookCommand } from '../statement';

/** The columns of a debit command that matching reads. */
export const BOOK_COLUMNS = `command_id::text, state, account_number, account_type, receipt_id, amount_minor::text, currency, submitted_at,
  resolved_at, bixi_transaction_id, charges_minor::text, total_minor::text, correlation_id, causation_id`;

export interface BookRow {
  command_id: string;
  state: string;
  account_number: string;
  account_type: string;
  receipt_id: string;
  amount_minor: string | null;
  currency: string | null;
  submitted_at: Date | null;
  resolved_at: Date | null;
  bixi_transaction_id: string | null;
  charges_minor: string | null;
  total_minor: string | null;
  correlation_id: string;
  causation_id: string | null;
}

/** A command without an amount (refused as invalid) never reached Bixi; matching compares it as amount 0. */
export const toBookCommand = (r: BookRow): BookCommand => ({
  commandId: r.command_id,
  state: r.state,
  accountNumber: r.account_number,
  accountType: r.account_type,
  receiptId: r.receipt_id,
  amount: { amountMinor: r.amount_minor ?? '0', currency: (r.currency ?? 'USD') as Currency },
  submittedAt: r.submitted_at,
  resolvedAt: r.resolved_at,
  bixiTransactionId: r.bixi_transaction_id,
  chargesMinor: r.charges_minor,
  totalMinor: r.total_minor,
  correlationId: r.correlation_id,
  causationId: r.causation_id,
});
