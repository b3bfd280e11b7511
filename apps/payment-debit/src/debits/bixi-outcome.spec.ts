import { outcomeOf } from './bixi-outcome';

const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' as const });
const seedAnswer = (attributes: Record<string, unknown> = {}) =>
  JSON.stringify({
    data: {
      id: '9d1ad1f3-4d9b-47f2-8ea1-d766face25ed',
      type: 'transactions',
      attributes: {
        receiptId: '123456',
        referenceId: '528ebffa-4f1a-42ed-8d51-2bc344153eef',
        accountNumber: '252600000000',
        accountType: 'mmt',
        issuer: 'hormuud',
        status: 'approved',
        memo: 'debit',
        currency: 'USD',
        issuerTransactionId: '536117',
        charges: 0.03,
        amount: 1,
        total: 0.97,
        ...attributes,
      },
    },
  });
const answered = (status: number, body: string) => ({ kind: 'answered' as const, status, body, truncated: false });

describe('outcomeOf', () => {
  it('maps the seed answer to APPROVED with exact money', () => {
    expect(outcomeOf(answered(200, seedAnswer()), usd('100'))).toEqual({
      state: 'APPROVED',
      transaction: {
        bixiTransactionId: '9d1ad1f3-4d9b-47f2-8ea1-d766face25ed',
        referenceId: '528ebffa-4f1a-42ed-8d51-2bc344153eef',
        issuer: 'hormuud',
        issuerTransactionId: '536117',
        bixiStatus: 'approved',
        charges: usd('3'),
        total: usd('97'),
      },
    });
  });

  it('accepts zero charges', () => {
    const outcome = outcomeOf(answered(200, seedAnswer({ charges: 0, total: 1 })), usd('100'));
    expect(outcome).toMatchObject({ state: 'APPROVED', transaction: { charges: usd('0'), total: usd('100') } });
  });

  it('an approval whose total + charges ≠ amount is UNKNOWN with the reason, never APPROVED', () => {
    const outcome = outcomeOf(answered(200, seedAnswer({ charges: 0.03, total: 0.98 })), usd('100'));
    expect(outcome).toMatchObject({ state: 'UNKNOWN', bixiStatus: 'approved', bixiTransactionId: '9d1ad1f3-4d9b-47f2-8ea1-d766face25ed' });
    expect(outcome.state === 'UNKNOWN' && outcome.reason).toContain('total 98 + charges 3 ≠ amount 100');
  });

  it.each([
    ['a zero total (everything charged)', { charges: 1, total: 0 }, usd('100'), usd('0')],
    ['a zero total written as 0.00', { charges: 1, total: '@0.00' }, usd('100'), usd('0')],
    ['zero charges written as 0.0', { charges: '@0.0', total: 1 }, usd('0'), usd('100')],
  ])('%s that adds up is APPROVED', (_name, attributes, charges, total) => {
    const body = seedAnswer(attributes).replace(/"@([0-9.]+)"/g, '$1');
    expect(outcomeOf(answered(200, body), usd('100'))).toMatchObject({ state: 'APPROVED', transaction: { charges, total } });
  });

  it('reads amounts from their exact text: 99999999999999.99 is not a cent off', () => {
    const body = seedAnswer({ amount: '@99999999999999.99', charges: '@0.01', total: '@99999999999999.98' }).replace(/"@([0-9.]+)"/g, '$1');
    expect(outcomeOf(answered(200, body), usd('9999999999999999'))).toMatchObject({
      state: 'APPROVED',
      transaction: { charges: usd('1'), total: usd('9999999999999998') },
    });
  });

  it('refuses exponent notation and missing totals in an approval (UNKNOWN)', () => {
    expect(outcomeOf(answered(200, seedAnswer({ total: '@97e-2' }).replace('"@97e-2"', '97e-2')), usd('100')).state).toBe('UNKNOWN');
    expect(outcomeOf(answered(200, seedAnswer({ total: undefined })), usd('100')).state).toBe('UNKNOWN');
  });

  it.each([
    ['an unparsable body', answered(200, '{"data":{"id":"x"')],
    ['a pending status', answered(200, seedAnswer({ status: 'pending' }))],
    ['no status', answered(200, JSON.stringify({ data: { id: 'x', attributes: {} } }))],
    ['three-decimal charges', answered(200, seedAnswer({ charges: 0.031 }))],
    ['a different amount', answered(200, seedAnswer({ amount: 2 }))],
    ['an approval without id', answered(200, seedAnswer()).body.replace('"id":"9d1ad1f3-4d9b-47f2-8ea1-d766face25ed",', '')],
    ['a 500', answered(500, '{}')],
    ['a 503', answered(503, '')],
    ['a 302', answered(302, '')],
    ['no answer', { kind: 'no_answer' as const, reason: 'timeout' }],
  ])('%s is UNKNOWN', (_name, result) => {
    const r = typeof result === 'string' ? answered(200, result) : result;
    expect(outcomeOf(r, usd('100')).state).toBe('UNKNOWN');
  });

  it('a declined status and a 402 are DECLINED, other 4xx FAILED with the details', () => {
    expect(outcomeOf(answered(200, seedAnswer({ status: 'declined' })), usd('100'))).toMatchObject({
      state: 'DECLINED',
      bixiStatus: 'declined',
    });
    const poor = outcomeOf(answered(402, JSON.stringify({ errors: [{ code: 'insufficient_funds', detail: 'no money' }] })), usd('100'));
    expect(poor).toMatchObject({ state: 'DECLINED', reason: expect.stringContaining('insufficient_funds') });
    const invalid = outcomeOf(answered(422, JSON.stringify({ errors: [{ code: 'validation_error', detail: 'bad amount' }] })), usd('100'));
    expect(invalid).toEqual({ state: 'FAILED', reasons: ['Bixi refused the request (422)', 'validation_error: bad amount'] });
    expect(outcomeOf(answered(401, 'nope'), usd('100'))).toEqual({ state: 'FAILED', reasons: ['Bixi refused the request (401)', 'nope'] });
  });
});
