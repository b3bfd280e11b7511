import { randomInt, randomUUID } from 'node:crypto';
import { amountInWords } from './amount-in-words';
import { centsToJsonNumber, computeCharges } from './charges';
import { issuerOf } from './magic-accounts';
import type { PayRequest } from './pay-request.schema';

/** The seed's timestamp form: microseconds and a Z. */
const bixiTimestamp = (at: Date) => at.toISOString().replace(/Z$/, '000Z');

export type TransactionStatus = 'approved' | 'declined' | 'pending';

/** A transaction the sandbox created: what its answer carries and what its statement lists. Money in integer cents. */
export interface SandboxTransaction {
  id: string;
  receiptId: string;
  referenceId: string;
  accountNumber: string;
  accountType: string;
  issuer: string;
  status: TransactionStatus;
  description: string;
  currency: 'USD';
  issuerTransactionId: string;
  amountCents: bigint;
  chargesCents: bigint;
  totalCents: bigint;
  created: string;
}

export function newTransaction(request: PayRequest, status: TransactionStatus, at = new Date()): SandboxTransaction {
  const { chargesCents, totalCents } = computeCharges(request.amount);
  return {
    id: randomUUID(),
    receiptId: request.receiptId,
    referenceId: randomUUID(),
    accountNumber: request.accountNumber,
    accountType: request.accountType,
    issuer: issuerOf(request.accountNumber),
    status,
    description: request.description,
    currency: 'USD',
    issuerTransactionId: String(randomInt(100_000, 1_000_000)),
    amountCents: request.amount,
    chargesCents,
    totalCents,
    created: bixiTimestamp(at),
  };
}

/**
 * Replaces the `"@charges"`-style placeholders of a serialised object by JSON number text built from integer cents,
 * so a large amount is not bent by a float on its way out.
 */
export function withMoneyNumbers(json: string, t: SandboxTransaction): string {
  const numbers: Record<string, string> = {
    charges: centsToJsonNumber(t.chargesCents),
    amount: centsToJsonNumber(t.amountCents),
    total: centsToJsonNumber(t.totalCents),
  };
  return json.replace(/"@(charges|amount|total)"/g, (_, name: string) => numbers[name]!);
}

/** A transaction answer in the seed's JSON:API shape. */
export function transactionResponse(t: SandboxTransaction): string {
  const body = {
    data: {
      id: t.id,
      type: 'transactions',
      attributes: {
        receiptId: t.receiptId,
        referenceId: t.referenceId,
        accountNumber: t.accountNumber,
        accountType: t.accountType,
        issuer: t.issuer,
        status: t.status,
        description: t.description,
        memo: 'debit',
        currency: t.currency,
        issuerTransactionId: t.issuerTransactionId,
        charges: '@charges',
        amount: '@amount',
        amountInWords: amountInWords(t.amountCents),
        total: '@total',
        totalInWords: amountInWords(t.totalCents),
        timestamps: { created: t.created },
      },
    },
  };
  return withMoneyNumbers(JSON.stringify(body), t);
}

export const errorResponse = (status: number, code: string, title: string, detail: string): string =>
  JSON.stringify({ errors: [{ status: String(status), code, title, detail }] });
