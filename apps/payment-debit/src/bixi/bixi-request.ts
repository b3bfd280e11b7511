import { formatMinorUnits } from '@mm/contracts';
import type { DebitCommand } from '../debits/debit-command';

/**
 * The seed's body, byte for byte in shape: `{"data":{"type":"transactions","attributes":{"memo":"debit",…}}}`.
 * `amount` is written as JSON number text from minor units (`1.00`), so no float ever carries it.
 */
export function renderPayBody(c: Pick<DebitCommand, 'accountNumber' | 'accountType' | 'amount' | 'receiptId' | 'description'>): string {
  if (c.amount.currency !== 'USD') throw new Error('Bixi debits are in USD');
  const attributes = JSON.stringify({
    memo: 'debit',
    accountNumber: c.accountNumber,
    accountType: c.accountType,
    receiptId: c.receiptId,
    amount: '@amount',
    description: c.description,
  });
  // The placeholder is the first string value equal to "@amount"; user text cannot produce it unescaped before it.
  return `{"data":{"type":"transactions","attributes":${attributes.replace('"@amount"', formatMinorUnits(c.amount))}}}`;
}
