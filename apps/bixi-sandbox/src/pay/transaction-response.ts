import { randomInt, randomUUID } from 'node:crypto';
import { amountInWords } from './amount-in-words';
import { centsToJsonNumber, computeCharges } from './charges';
import { issuerOf } from './magic-accounts';
import type { PayRequest } from './pay-request.schema';

/** The seed's timestamp form: microseconds and a Z. */
const bixiTimestamp = (at: Date) => at.toISOString().replace(/Z$/, '000Z');

/**
 * A transaction answer in the seed's JSON:API shape. Money members are written as JSON number text built
 * from integer cents, so a large amount is not bent by a float on its way out.
 */
export function transactionResponse(request: PayRequest, status: 'approved' | 'declined' | 'pending', at = new Date()): string {
  const { chargesCents, totalCents } = computeCharges(request.amount);
  const numbers: Record<string, string> = {
    charges: centsToJsonNumber(chargesCents),
    amount: centsToJsonNumber(request.amount),
    total: centsToJsonNumber(totalCents),
  };
  const body = {
    data: {
      id: randomUUID(),
      type: 'transactions',
      attributes: {
        receiptId: request.receiptId,
        referenceId: randomUUID(),
        accountNumber: request.accountNumber,
        accountType: request.accountType,
        issuer: issuerOf(request.accountNumber),
        status,
        description: request.description,
        memo: 'debit',
        currency: 'USD',
        issuerTransactionId: String(randomInt(100_000, 1_000_000)),
        charges: '@charges',
        amount: '@amount',
        amountInWords: amountInWords(request.amount),
        total: '@total',
        totalInWords: amountInWords(totalCents),
        timestamps: { created: bixiTimestamp(at) },
      },
    },
  };
  return JSON.stringify(body).replace(/"@(charges|amount|total)"/g, (_, name: string) => numbers[name]!);
}

export const errorResponse = (status: number, code: string, title: string, detail: string): string =>
  JSON.stringify({ errors: [{ status: String(status), code, title, detail }] });
