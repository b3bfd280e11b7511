import { DebitOutcomeResolvedSchema, DebitRequestedSchema } from './debit';

const command = {
  commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  accountNumber: '252600000000',
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'INV1',
  description: 'Receipt for sales bill No. 123456',
};
const issuesOf = (value: unknown) => {
  const parsed = DebitRequestedSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('DebitRequestedSchema', () => {
  it('accepts the seed command, with or without a deadline', () => {
    expect(issuesOf(command)).toEqual([]);
    expect(issuesOf({ ...command, expiresAt: '2026-12-02T10:15:00Z' })).toEqual([]);
  });

  // PostgreSQL refuses these values; a schema-valid command it refuses would be redelivered forever.
  it.each([
    ['a NUL byte in description', { description: 'bill\u0000 123' }, 'description'],
    ['a newline in receiptId', { receiptId: 'A\nB' }, 'receiptId'],
    ['a control character in accountNumber', { accountNumber: '2526\u001b00000000' }, 'accountNumber'],
    ['a 31-digit amount', { amount: { amountMinor: '1'.repeat(31), currency: 'USD' } }, 'amount'],
    ['an amount one above bigint', { amount: { amountMinor: '9223372036854775808', currency: 'USD' } }, 'amount'],
    ['an expiresAt that is not a time', { expiresAt: 'tomorrow' }, 'expiresAt'],
  ])('refuses %s, naming the field', (_name, change, field) => {
    expect(issuesOf({ ...command, ...change }).join('\n')).toContain(field);
  });

  it('accepts the largest amount a bigint column holds', () => {
    expect(issuesOf({ ...command, amount: { amountMinor: '9223372036854775807', currency: 'USD' } })).toEqual([]);
  });
});

describe('DebitOutcomeResolvedSchema', () => {
  const base = {
    commandId: command.commandId,
    accountNumber: command.accountNumber,
    accountType: 'mmt',
    amount: command.amount,
    receiptId: 'INV1',
  };
  const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' });
  const debited = { ...base, outcome: 'DEBITED', bixiTransactionId: 'b1', charges: usd('3'), total: usd('97') };

  it.each([
    ['a late answer', { kind: 'late-answer', answeredAt: '2026-12-02T10:00:00Z', evidence: 'Bixi answered 200 approved after the sweep' }],
    [
      'a statement line',
      { kind: 'statement', statementId: 'st-1', lineKey: 'b1', evidence: 'one line, same receiptId, account and amount' },
    ],
    ['two operators', { kind: 'operator', makerId: 'op-a', checkerId: 'op-b', proposalId: 'p-1', evidence: 'Bixi support ticket 42' }],
  ])('reads a DEBITED resolution from %s', (_name, resolution) => {
    expect(DebitOutcomeResolvedSchema.safeParse({ ...debited, resolution }).success).toBe(true);
  });

  it('reads NOT_DEBITED with its reason, and refuses a DEBITED without Bixi money or an operator approving their own proposal', () => {
    const resolution = { kind: 'late-answer', answeredAt: '2026-12-02T10:00:00Z', evidence: 'declined' };
    expect(
      DebitOutcomeResolvedSchema.safeParse({ ...base, outcome: 'NOT_DEBITED', reason: 'Bixi status declined', resolution }).success,
    ).toBe(true);
    expect(DebitOutcomeResolvedSchema.safeParse({ ...base, outcome: 'DEBITED', bixiTransactionId: 'b1', resolution }).success).toBe(false);
    const self = { kind: 'operator', makerId: 'op-a', checkerId: 'op-a', proposalId: 'p-1', evidence: 'x' };
    expect(DebitOutcomeResolvedSchema.safeParse({ ...debited, resolution: self }).success).toBe(false);
  });
});
