import { normaliseAccountNumber, requestFingerprint, validateDebitRequest } from './debit-command';

const valid = {
  commandId: '0192f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6',
  accountNumber: '+252600000000',
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: '123456',
  description: 'Receipt for sales bill No. 123456',
};

describe('normaliseAccountNumber', () => {
  it.each([
    ['+252600000000', '252600000000'],
    ['00252600000000', '252600000000'],
    ['252600000000', '252600000000'],
    [' +252600000000 ', '252600000000'],
  ])('mmt %s → %s', (raw, value) => expect(normaliseAccountNumber(raw, 'mmt')).toEqual({ ok: true, value }));

  it.each(['+0252600', '25260000000000000', '2526-000', '++252600000000', '', '+'])('refuses mmt %j', (raw) => {
    expect(normaliseAccountNumber(raw, 'mmt').ok).toBe(false);
  });

  it('takes letters for non-mmt accounts (a trc20 address)', () => {
    expect(normaliseAccountNumber('TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE', 'trc20')).toEqual({
      ok: true,
      value: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
    });
    expect(normaliseAccountNumber('DE89 3704', 'bank').ok).toBe(false);
  });
});

describe('validateDebitRequest', () => {
  it('accepts the seed example and normalises its account', () => {
    const result = validateDebitRequest(valid);
    expect(result).toEqual({
      ok: true,
      command: expect.objectContaining({ accountNumber: '252600000000', amount: { amountMinor: '100', currency: 'USD' } }),
    });
  });

  it.each([
    ['a non-USD amount', { amount: { amountMinor: '100', currency: 'KES' } }, 'amount'],
    ['a zero amount', { amount: { amountMinor: '0', currency: 'USD' } }, 'amount'],
    ['a negative amount', { amount: { amountMinor: '-5', currency: 'USD' } }, 'amount'],
    ['a decimal amount', { amount: { amountMinor: '1.5', currency: 'USD' } }, 'amount'],
    ['a float amount', { amount: 1.5 }, 'amount'],
    ['a receiptId of 12 chars', { receiptId: '123456789012' }, 'receiptId'],
    ['an empty receiptId', { receiptId: '' }, 'receiptId'],
    ['an unknown accountType', { accountType: 'paypal' }, 'accountType'],
    ['no description', { description: undefined }, 'description'],
    ['a blank description', { description: '   ' }, 'description'],
    ['a bad account', { accountNumber: '12ab' }, 'accountNumber'],
    ['a commandId that is not a UUID', { commandId: 'abc' }, 'commandId'],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const result = validateDebitRequest({ ...valid, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.join('\n')).toContain(field);
  });
});

describe('requestFingerprint', () => {
  it('differs when anything sent to Bixi differs', () => {
    const base = {
      accountNumber: '252600000000',
      accountType: 'mmt' as const,
      amount: { amountMinor: '100', currency: 'USD' as const },
      receiptId: 'A',
      description: 'x',
    };
    expect(requestFingerprint(base).equals(requestFingerprint({ ...base }))).toBe(true);
    expect(requestFingerprint(base).equals(requestFingerprint({ ...base, amount: { amountMinor: '101', currency: 'USD' } }))).toBe(false);
    expect(requestFingerprint(base).equals(requestFingerprint({ ...base, receiptId: 'B' }))).toBe(false);
  });
});
