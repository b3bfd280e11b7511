import { ApproveResolutionSchema, ProposeResolutionSchema, RejectResolutionSchema } from './resolution-api';

const debited = {
  outcome: 'DEBITED',
  bixiTransactionId: 'tx-1',
  referenceId: 'ref-1',
  issuerTransactionId: '482913',
  charges: { amountMinor: '3', currency: 'USD' },
  total: { amountMinor: '97', currency: 'USD' },
  evidence: 'Bixi portal shows it approved',
};

describe('resolution API bodies', () => {
  it('accepts a DEBITED claim with Bixi ids and money, zero charges included, and a NOT_DEBITED claim with its reason', () => {
    expect(ProposeResolutionSchema.safeParse(debited).success).toBe(true);
    expect(ProposeResolutionSchema.safeParse({ ...debited, charges: { amountMinor: '0', currency: 'USD' } }).success).toBe(true);
    expect(
      ProposeResolutionSchema.safeParse({ outcome: 'NOT_DEBITED', reason: 'no such transaction', evidence: 'statement' }).success,
    ).toBe(true);
  });

  it.each([
    ['a DEBITED claim without Bixi ids', { ...debited, referenceId: undefined }],
    ['negative charges', { ...debited, charges: { amountMinor: '-3', currency: 'USD' } }],
    ['a decimal amount', { ...debited, total: { amountMinor: '0.97', currency: 'USD' } }],
    ['an unknown member', { ...debited, approvedBy: 'me' }],
    ['a reason on a DEBITED claim', { ...debited, reason: 'x' }],
    ['money on a NOT_DEBITED claim', { outcome: 'NOT_DEBITED', reason: 'none', evidence: 'seen', total: debited.total }],
    ['a control character', { ...debited, evidence: 'line\u0000two' }],
    ['evidence too long', { ...debited, evidence: 'x'.repeat(2049) }],
    ['no evidence', { ...debited, evidence: undefined }],
  ])('refuses %s', (_, body) => {
    expect(ProposeResolutionSchema.safeParse(body).success).toBe(false);
  });

  it('takes an optional reason to approve and requires one to reject, nothing else', () => {
    expect(ApproveResolutionSchema.safeParse({}).success).toBe(true);
    expect(ApproveResolutionSchema.safeParse({ reason: 'ok', by: 'me' }).success).toBe(false);
    expect(RejectResolutionSchema.safeParse({}).success).toBe(false);
    expect(RejectResolutionSchema.safeParse({ reason: 'no evidence' }).success).toBe(true);
  });
});
