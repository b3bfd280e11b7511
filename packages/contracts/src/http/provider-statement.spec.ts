import { parseJsonExact } from '../json-exact';
import { ProviderStatementLineSchema } from './provider-statement';

const line = {
  providerId: '200',
  transactionId: 'tx-1',
  amount: '200.50',
  currency: 'KES',
  msisdn: '+254700000000',
  time: '2026-01-01T10:00:00Z',
};

describe('ProviderStatementLineSchema', () => {
  it('reads the amount as minor units of the currency, from text or an exact JSON number', () => {
    expect(ProviderStatementLineSchema.parse(line).amount).toEqual({ amountMinor: '20050', currency: 'KES' });
    const ndjson = parseJsonExact(JSON.stringify({ ...line, amount: 0 }).replace('"amount":0', '"amount":200.50'));
    expect(ProviderStatementLineSchema.parse(ndjson).amount).toEqual({ amountMinor: '20050', currency: 'KES' });
  });

  it.each([
    ['amount', { amount: '200.505' }],
    ['amount', { amount: '-1' }],
    ['amount', { amount: '1e3' }],
    ['currency', { currency: 'XXX' }],
    ['msisdn', { msisdn: 'call me' }],
    ['time', { time: '2026-01-01' }],
    ['transactionId', { transactionId: 'a\u0000b' }],
  ])('refuses a bad %s, naming it', (field, change) => {
    const result = ProviderStatementLineSchema.safeParse({ ...line, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('refuses unknown members', () => {
    expect(ProviderStatementLineSchema.safeParse({ ...line, extra: '1' }).success).toBe(false);
  });
});
