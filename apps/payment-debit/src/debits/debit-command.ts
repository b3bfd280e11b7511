import { createHash } from 'node:crypto';
import { DebitRequestedSchema, type AccountType, type Money } from '@mm/contracts';

export const DebitStates = ['RECEIVED', 'SUBMITTING', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN'] as const;
export type DebitState = (typeof DebitStates)[number];
export const FINAL_STATES: ReadonlySet<DebitState> = new Set(['APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN']);

/** A command that passed validation, with its account in the form Bixi takes. */
export interface DebitCommand {
  commandId: string;
  accountNumber: string;
  accountType: AccountType;
  amount: Money;
  receiptId: string;
  description: string;
  correlationId: string;
  /** Id of the DebitRequested event that carried it. */
  causationId?: string;
}

export type CommandValidation = { ok: true; command: Omit<DebitCommand, 'correlationId' | 'causationId'> } | { ok: false; reasons: string[] };

/**
 * Bixi wants the account "fully qualified … without the leading 00 or +". A mobile-money account (mmt) is then
 * an international number of 7–15 digits; other account types are letters and digits.
 */
export function normaliseAccountNumber(raw: string, type: AccountType): { ok: true; value: string } | { ok: false; reason: string } {
  const value = raw.trim().replace(/^(\+|00)/, '');
  if (type === 'mmt') {
    return /^[1-9][0-9]{6,14}$/.test(value)
      ? { ok: true, value }
      : { ok: false, reason: 'accountNumber: an mmt account is an international number of 7-15 digits (+ or 00 prefix allowed)' };
  }
  return /^[A-Za-z0-9]{4,64}$/.test(value) ? { ok: true, value } : { ok: false, reason: `accountNumber: a ${type} account is 4-64 letters or digits` };
}

/** Validates a DebitRequested payload (from Kafka or HTTP) and normalises its account; every problem is named. */
export function validateDebitRequest(data: unknown): CommandValidation {
  const parsed = DebitRequestedSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, reasons: parsed.error.issues.slice(0, 10).map((i) => `${i.path.map(String).join('.') || '(data)'}: ${i.message}`) };
  }
  const d = parsed.data;
  const account = normaliseAccountNumber(d.accountNumber, d.accountType);
  if (!account.ok) return { ok: false, reasons: [account.reason] };
  if (d.description.trim().length === 0) return { ok: false, reasons: ['description: must not be blank'] };
  return {
    ok: true,
    command: { commandId: d.commandId.toLowerCase(), accountNumber: account.value, accountType: d.accountType, amount: d.amount, receiptId: d.receiptId, description: d.description },
  };
}

/** Fingerprint of what would be sent to Bixi: the same commandId with a different fingerprint is a conflict. */
export function requestFingerprint(c: Pick<DebitCommand, 'accountNumber' | 'accountType' | 'amount' | 'receiptId' | 'description'>): Buffer {
  const canonical = JSON.stringify([c.accountNumber, c.accountType, c.amount.amountMinor, c.amount.currency, c.receiptId, c.description]);
  return createHash('sha256').update(canonical, 'utf8').digest();
}
