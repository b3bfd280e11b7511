import type { Currency } from '@mm/contracts';
import type { DebitState } from '../debits/debit-command';
import type { StoredDebit } from '../debits/debit.repository';

export const COLUMNS = `command_id, state, account_number, account_type, amount_minor, currency, receipt_id, description, correlation_id,
  causation_id, attempts, bixi_transaction_id, bixi_reference_id, bixi_issuer, issuer_transaction_id, bixi_status,
  charges_minor, total_minor, reasons, created_at, updated_at`;

export interface DebitRow {
  command_id: string;
  state: DebitState;
  account_number: string;
  account_type: string;
  amount_minor: string | null;
  currency: string | null;
  receipt_id: string;
  description: string;
  correlation_id: string;
  causation_id: string | null;
  attempts: number;
  bixi_transaction_id: string | null;
  bixi_reference_id: string | null;
  bixi_issuer: string | null;
  issuer_transaction_id: string | null;
  bixi_status: string | null;
  charges_minor: string | null;
  total_minor: string | null;
  reasons: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const money = (minor: string | null, currency: string | null) =>
  minor !== null && currency ? { amountMinor: minor, currency: currency as Currency } : null;

export function toStoredDebit(r: DebitRow): StoredDebit {
  return {
    commandId: r.command_id,
    state: r.state,
    accountNumber: r.account_number,
    accountType: r.account_type,
    amount: money(r.amount_minor, r.currency),
    receiptId: r.receipt_id,
    description: r.description,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    attempts: r.attempts,
    bixiTransactionId: r.bixi_transaction_id,
    bixiReferenceId: r.bixi_reference_id,
    bixiIssuer: r.bixi_issuer,
    issuerTransactionId: r.issuer_transaction_id,
    bixiStatus: r.bixi_status,
    charges: money(r.charges_minor, r.currency),
    total: money(r.total_minor, r.currency),
    reasons: r.reasons,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Command ids as PostgreSQL prints a uuid. */
export const idOf = (commandId: string) => commandId.toLowerCase();

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING on postgres. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export const rowCount = (result: unknown[]): number => rowsOf(result).length;
