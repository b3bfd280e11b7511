import { parseJsonExact } from '../json-exact';
import { BIXI_STATEMENT_CSV_HEADER, BixiStatementLineSchema, toStatementEntry } from './bixi-statement';

const seedLine = {
  id: '9d1ad1f3-4d9b-47f2-8ea1-d766face25ed',
  receiptId: '123456',
  referenceId: '528ebffa-4f1a-42ed-8d51-2bc344153eef',
  accountNumber: '252600000000',
  accountType: 'mmt',
  issuer: 'hormuud',
  status: 'approved',
  currency: 'USD',
  issuerTransactionId: '536117',
  amount: '1',
  charges: '0.03',
  total: '0.97',
  created: '2024-09-01T00:00:00.000000Z',
};

describe('Bixi statement lines', () => {
  it('has the seed transaction attributes as its CSV header', () => {
    expect(BIXI_STATEMENT_CSV_HEADER).toBe(
      'id,receiptId,referenceId,accountNumber,accountType,issuer,status,currency,issuerTransactionId,amount,charges,total,created',
    );
  });

  it('reads the seed transaction exactly into minor units, from text and from exact JSON numbers', () => {
    const fromText = toStatementEntry(BixiStatementLineSchema.parse(seedLine));
    expect(fromText).toMatchObject({
      amount: { amountMinor: '100', currency: 'USD' },
      charges: { amountMinor: '3', currency: 'USD' },
      total: { amountMinor: '97', currency: 'USD' },
    });
    const json = parseJsonExact('{"amount": 1, "charges": 0.03, "total": 0.97}') as Record<string, unknown>;
    const fromJson = toStatementEntry(BixiStatementLineSchema.parse({ ...seedLine, ...json }));
    expect(fromJson).toEqual(fromText);
    expect(toStatementEntry(BixiStatementLineSchema.parse({ ...seedLine, charges: '0.00', total: '1' }))).toMatchObject({
      charges: { amountMinor: '0' },
    });
  });

  it('refuses floats it would have to round, unknown members, negative or zero amounts and bad times', () => {
    expect(toStatementEntry(BixiStatementLineSchema.parse({ ...seedLine, amount: '1.005' }))).toEqual({
      field: 'amount',
      message: expect.stringContaining('2 decimal places'),
    });
    expect(toStatementEntry(BixiStatementLineSchema.parse({ ...seedLine, amount: '0' }))).toMatchObject({ field: 'amount' });
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, amount: '-1' }).success).toBe(false);
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, amount: '1e3' }).success).toBe(false);
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, extra: 'x' }).success).toBe(false);
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, created: 'yesterday' }).success).toBe(false);
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, currency: 'XXX' }).success).toBe(false);
    expect(BixiStatementLineSchema.safeParse({ ...seedLine, accountNumber: '=cmd|calc' }).success).toBe(false);
  });
});
