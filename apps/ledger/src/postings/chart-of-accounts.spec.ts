import { createEnvelope, DEBIT_APPROVED, DEBIT_DECLINED, PAYMENT_RECEIVED, uuidv7 } from '@mm/contracts';
import { isBalanced, postingsFor } from './chart-of-accounts';

const base = { source: '/test', subject: 's', correlationId: 'c' };

describe('postingsFor', () => {
  it('books a received payment: provider clearing debited, customer credited', () => {
    const lines = postingsFor(
      createEnvelope({
        ...base,
        type: PAYMENT_RECEIVED,
        data: {
          paymentId: uuidv7(),
          providerId: '200',
          customerId: '12000',
          messageId: 'm',
          transactionId: 't',
          amount: { amountMinor: '200', currency: 'RWF' as const },
          smsSupport: false,
          receivedAt: new Date().toISOString(),
        },
      }),
    );
    expect(lines).toEqual([
      { accountId: 'provider-clearing:200', currency: 'RWF', amountMinor: 200n },
      { accountId: 'customer:12000', currency: 'RWF', amountMinor: -200n },
    ]);
    expect(isBalanced(lines)).toBe(true);
  });

  it('books an approved debit: settlement (total) and fees (charges) against the payer (amount)', () => {
    const lines = postingsFor(
      createEnvelope({
        ...base,
        type: DEBIT_APPROVED,
        data: {
          commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
          accountNumber: '252600000000',
          accountType: 'mmt' as const,
          amount: { amountMinor: '100', currency: 'USD' as const },
          receiptId: '123456',
          bixiTransactionId: '9d1ad1f3',
          charges: { amountMinor: '3', currency: 'USD' as const },
          total: { amountMinor: '97', currency: 'USD' as const },
        },
      }),
    );
    expect(lines.map((l) => l.amountMinor)).toEqual([97n, 3n, -100n]);
    expect(isBalanced(lines)).toBe(true);
  });

  it('books no zero line when Bixi charged nothing', () => {
    const lines = postingsFor(
      createEnvelope({
        ...base,
        type: DEBIT_APPROVED,
        data: {
          commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
          accountNumber: '252600000000',
          accountType: 'mmt' as const,
          amount: { amountMinor: '100', currency: 'USD' as const },
          receiptId: '123456',
          bixiTransactionId: '9d1ad1f3',
          charges: { amountMinor: '0', currency: 'USD' as const },
          total: { amountMinor: '100', currency: 'USD' as const },
        },
      }),
    );
    expect(lines.map((l) => l.accountId)).toEqual(['bixi-settlement', 'payer:252600000000']);
    expect(isBalanced(lines)).toBe(true);
  });

  it('books nothing for a decline', () => {
    const lines = postingsFor(
      createEnvelope({
        ...base,
        type: DEBIT_DECLINED,
        data: {
          commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
          accountNumber: '252600000000',
          accountType: 'mmt' as const,
          amount: { amountMinor: '100', currency: 'USD' as const },
          receiptId: '1',
          reason: 'insufficient funds',
        },
      }),
    );
    expect(lines).toEqual([]);
  });

  it('detects an unbalanced entry per currency', () => {
    expect(isBalanced([{ accountId: 'a', currency: 'USD', amountMinor: 1n }, { accountId: 'b', currency: 'KES', amountMinor: -1n }])).toBe(false);
  });
});
