import { debitLimitsEnv, firstBreach, limitLockKeys, limitReason, type DebitLimits } from './debit-limits';

const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' as const });
const limits: DebitLimits = {
  windowMs: 86_400_000,
  perAccount: { maxCount: 3, maxAmount: { USD: '10000' } },
  perRequester: { maxCount: 5, maxAmount: { USD: '20000' } },
};
const parse = (text: string | undefined) => debitLimitsEnv.safeParse(text);

describe('debit limits', () => {
  describe('firstBreach', () => {
    it('passes up to the limit, the command itself included, and declines one past it', () => {
      expect(firstBreach(limits, { perAccount: { count: 2, amounts: { USD: 9000n } } }, usd('1000'))).toBeNull();
      expect(firstBreach(limits, { perAccount: { count: 3, amounts: {} } }, usd('1'))).toEqual({
        scope: 'perAccount',
        measure: 'maxCount',
        used: '4',
        limit: '3',
      });
      expect(firstBreach(limits, { perAccount: { count: 0, amounts: { USD: 9000n } } }, usd('1001'))).toEqual({
        scope: 'perAccount',
        measure: 'maxAmount',
        used: '10001',
        limit: '10000',
        currency: 'USD',
      });
    });

    it('checks the requester scope after the account scope', () => {
      const usage = { perAccount: { count: 0, amounts: {} }, perRequester: { count: 1, amounts: { USD: 19_999n } } };
      expect(firstBreach(limits, usage, usd('2'))).toMatchObject({ scope: 'perRequester', measure: 'maxAmount', used: '20001' });
      expect(firstBreach(limits, { perRequester: { count: 5, amounts: {} } }, usd('1'))).toMatchObject({
        scope: 'perRequester',
        measure: 'maxCount',
        used: '6',
        limit: '5',
      });
    });

    it('a single command larger than the amount limit is declined even with nothing else in the window', () => {
      expect(firstBreach(limits, {}, usd('10001'))).toMatchObject({ scope: 'perAccount', measure: 'maxAmount', used: '10001' });
    });

    it('limits only what is configured: no maxAmount for a currency means no amount limit in it', () => {
      const countOnly: DebitLimits = { windowMs: 60_000, perRequester: { maxCount: 1 } };
      expect(firstBreach(countOnly, { perAccount: { count: 100, amounts: { USD: 10n ** 15n } } }, usd('1'))).toBeNull();
      const eurOnly: DebitLimits = { windowMs: 60_000, perAccount: { maxAmount: { EUR: '1' } } };
      expect(firstBreach(eurOnly, {}, usd('999999'))).toBeNull();
    });

    it('sums beyond 2^53 exactly (bigint, no float)', () => {
      const big: DebitLimits = { windowMs: 60_000, perAccount: { maxAmount: { USD: '9007199254740993' } } };
      expect(firstBreach(big, { perAccount: { count: 1, amounts: { USD: 9_007_199_254_740_992n } } }, usd('1'))).toBeNull();
      expect(firstBreach(big, { perAccount: { count: 1, amounts: { USD: 9_007_199_254_740_992n } } }, usd('2'))).toMatchObject({
        used: '9007199254740994',
      });
    });
  });

  it('the reason names the limit and used/limit', () => {
    expect(limitReason({ scope: 'perAccount', measure: 'maxCount', used: '4', limit: '3' }, 60_000)).toBe(
      'LIMIT_EXCEEDED: perAccount.maxCount 4/3 within 60000 ms',
    );
    expect(limitReason({ scope: 'perRequester', measure: 'maxAmount', used: '20001', limit: '20000', currency: 'USD' }, 1000)).toBe(
      'LIMIT_EXCEEDED: perRequester.maxAmount USD 20001/20000 within 1000 ms',
    );
  });

  describe('lock keys', () => {
    it('are sorted, stable, one per configured scope, and the unnamed requester has a key of its own', () => {
      const keys = limitLockKeys(limits, '252611000001', 'team-a');
      expect(keys).toHaveLength(2);
      expect([...keys].sort((a, b) => (a < b ? -1 : 1))).toEqual(keys);
      expect(limitLockKeys(limits, '252611000001', 'team-a')).toEqual(keys);
      const unnamed = limitLockKeys({ windowMs: 1000, perRequester: { maxCount: 1 } }, 'x', null);
      const named = ['unnamed-requester', '', 'null'].map(
        (r) => limitLockKeys({ windowMs: 1000, perRequester: { maxCount: 1 } }, 'x', r)[0],
      );
      expect(named).not.toContain(unnamed[0]);
      expect(limitLockKeys({ windowMs: 1000, perAccount: { maxCount: 1 } }, 'x', 'team-a')).toHaveLength(1);
    });

    it('an account and a requester with the same text do not share a key', () => {
      const account = limitLockKeys({ windowMs: 1000, perAccount: { maxCount: 1 } }, 'same', null)[0];
      const requester = limitLockKeys({ windowMs: 1000, perRequester: { maxCount: 1 } }, 'other', 'same')[0];
      expect(account).not.toEqual(requester);
    });
  });

  describe('DEBIT_LIMITS', () => {
    it('unset, empty or {} means no limits', () => {
      for (const text of [undefined, '', '  ', '{}']) expect(parse(text)).toEqual({ success: true, data: null });
    });

    it('parses the documented shape', () => {
      const text = '{"windowMs":86400000,"perAccount":{"maxCount":20,"maxAmount":{"USD":"500000"}},"perRequester":{"maxCount":1000}}';
      expect(parse(text)).toEqual({
        success: true,
        data: { windowMs: 86_400_000, perAccount: { maxCount: 20, maxAmount: { USD: '500000' } }, perRequester: { maxCount: 1000 } },
      });
    });

    it.each([
      ['not JSON', '{windowMs: 1}'],
      ['an array', '[]'],
      ['no scope', '{"windowMs":86400000}'],
      ['no window', '{"perAccount":{"maxCount":1}}'],
      ['a window under a second', '{"windowMs":999,"perAccount":{"maxCount":1}}'],
      ['an empty limit', '{"windowMs":60000,"perAccount":{}}'],
      ['a float amount', '{"windowMs":60000,"perAccount":{"maxAmount":{"USD":"5000.5"}}}'],
      ['a number amount', '{"windowMs":60000,"perAccount":{"maxAmount":{"USD":5000}}}'],
      ['a negative amount', '{"windowMs":60000,"perAccount":{"maxAmount":{"USD":"-1"}}}'],
      ['an amount beyond bigint', '{"windowMs":60000,"perAccount":{"maxAmount":{"USD":"9223372036854775808"}}}'],
      ['an unknown currency', '{"windowMs":60000,"perAccount":{"maxAmount":{"XXX":"1"}}}'],
      ['a fractional count', '{"windowMs":60000,"perAccount":{"maxCount":1.5}}'],
      ['a count as text', '{"windowMs":60000,"perAccount":{"maxCount":"20"}}'],
      ['an unknown field', '{"windowMs":60000,"perAccount":{"maxCount":1},"perCustomer":{"maxCount":1}}'],
      ['a misspelt limit', '{"windowMs":60000,"perAccount":{"maxCnt":1}}'],
    ])('refuses %s', (_what, text) => {
      expect(parse(text).success).toBe(false);
    });
  });
});
