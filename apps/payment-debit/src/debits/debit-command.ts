import { createHash } from 'node:crypto';
import { DEBIT_COMMAND_STATES, DebitRequestedSchema, type AccountType, type Money } from '@mm/contracts';

export const DebitStates = DEBIT_COMMAND_STATES;
export type DebitState = (typeof DebitStates)[number];
export const FINAL_STATES: ReadonlySet<DebitState> = new Set(['APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN', 'EXPIRED']);

/** A command that passed validation, with its account in the form Bixi takes. */
export interface DebitCommand {
  commandId: string;
  accountNumber: string;
  accountType: AccountType;
  amount: Money;
  receiptId: string;
  description: string;
  /** The requester (service or team) the per-requester limit counts it under; absent: the unnamed requester. */
  requestedBy?: string;
  /** The sender's own deadline, if it gave one (ISO-8601). */
  expiresAt?: string;
  /** When the command was issued: its DebitRequested envelope's `time` (ISO-8601). */
  requestedAt: string;
  correlationId: string;
  /** Id of the DebitRequested event that carried it. */
  causationId?: string;
}

export type CommandValidation =
  { ok: true; command: Omit<DebitCommand, 'correlationId' | 'causationId' | 'requestedAt'> } | { ok: false; reasons: string[] };

/**
 * The moment after which the command must never reach Bixi: the sender's `expiresAt`, or `requestedAt + maxAgeMs`
 * if that is earlier. The maximum age is what keeps a replayed topic, a new consumer group or a restored database
 * from sending commands that were published long ago.
 */
export function deadlineOf(c: Pick<DebitCommand, 'expiresAt' | 'requestedAt'>, maxAgeMs: number): Date {
  const byAge = Date.parse(c.requestedAt) + maxAgeMs;
  const bySender = c.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(c.expiresAt);
  // An unreadable time cannot pass validation; should one get here anyway, the command counts as expired.
  const deadline = Math.min(byAge, bySender);
  return new Date(Number.isNaN(deadline) ? 0 : deadline);
}

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
  return /^[A-Za-z0-9]{4,64}$/.test(value)
    ? { ok: true, value }
    : { ok: false, reason: `accountNumber: a ${type} account is 4-64 letters or digits` };
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
    command: {
      commandId: d.commandId.toLowerCase(),
      accountNumber: account.value,
      accountType: d.accountType,
      amount: d.amount,
      receiptId: d.receiptId,
      description: d.description,
      ...(d.requestedBy === undefined ? {} : { requestedBy: d.requestedBy }),
      ...(d.expiresAt === undefined ? {} : { expiresAt: d.expiresAt }),
    },
  };
}

/** Fingerprint of what would be sent to Bixi: the same commandId with a different fingerprint is a conflict. */
export function requestFingerprint(
  c: Pick<DebitCommand, 'accountNumber' | 'accountType' | 'amount' | 'receiptId' | 'description'>,
): Buffer {
  const canonical = JSON.stringify([c.accountNumber, c.accountType, c.amount.amountMinor, c.amount.currency, c.receiptId, c.description]);
  return createHash('sha256').update(canonical, 'utf8').digest();
}
