import { parseJsonExact } from './json-exact';
import { AmountParseError, formatMinorUnits, toMinorUnits } from './money';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AmountParseError).code;
  }
  return 'no error';
};

describe('toMinorUnits', () => {
  it.each([
    [200.0, 'RWF', '200'],
    ['200', 'RWF', '200'],
    ['200.000', 'RWF', '200'],
    [1.01, 'USD', '101'],
    ['0.01', 'USD', '1'],
    [10.5, 'KES', '1050'],
    ['007.50', 'USD', '750'],
    [999999999999999, 'RWF', '999999999999999'],
  ])('%p %s is %s minor units', (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toEqual({ amountMinor: minor, currency });
  });

  it.each([
    [10.005, 'USD', 'too_precise'],
    ['200.5', 'RWF', 'too_precise'],
    [0.1 + 0.2, 'USD', 'too_precise'],
    [0, 'USD', 'not_positive'],
    [-5, 'USD', 'not_positive'],
    ['-0.00', 'USD', 'not_positive'],
    [1e21, 'USD', 'not_a_number'],
    [1e-7, 'USD', 'not_a_number'],
    ['1e3', 'USD', 'not_a_number'],
    [Number.NaN, 'USD', 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'USD', 'not_a_number'],
    ['12,50', 'USD', 'not_a_number'],
    ['0x10', 'USD', 'not_a_number'],
    [' ', 'USD', 'not_a_number'],
    [null, 'USD', 'not_a_number'],
    [true, 'USD', 'not_a_number'],
    [{ valueOf: () => 5 }, 'USD', 'not_a_number'],
    ['1'.repeat(16), 'RWF', 'too_large'],
    [100, 'XYZ', 'unknown_currency'],
    [100, 'usd', 'unknown_currency'],
    [100, "USD'; drop table x;--", 'unknown_currency'],
  ])('%p %s is refused (%s)', (amount, currency, expected) => {
    expect(code(() => toMinorUnits(amount, currency))).toBe(expected);
  });
});

describe('formatMinorUnits', () => {
  it('renders in the currency exponent', () => {
    expect(formatMinorUnits({ amountMinor: '101', currency: 'USD' })).toBe('1.01');
    expect(formatMinorUnits({ amountMinor: '3', currency: 'USD' })).toBe('0.03');
    expect(formatMinorUnits({ amountMinor: '200', currency: 'RWF' })).toBe('200');
    expect(formatMinorUnits({ amountMinor: '-97', currency: 'USD' })).toBe('-0.97');
  });

  it('round-trips with toMinorUnits', () => {
    for (const value of ['0.01', '1.00', '123456.78', '9.99']) {
      const money = toMinorUnits(value, 'USD');
      expect(toMinorUnits(formatMinorUnits(money), 'USD')).toEqual(money);
    }
  });
});

describe('amounts read from the exact JSON text', () => {
  it('keeps every digit of a large USD amount that a float would round', () => {
    const body = parseJsonExact('{"amount": 99999999999999.99}') as { amount: unknown };
    expect(toMinorUnits(body.amount, 'USD')).toEqual({ amountMinor: '9999999999999999', currency: 'USD' });
    // the float path is a cent off: the reason bodies are parsed with parseJsonExact
    expect(String(JSON.parse('99999999999999.99'))).not.toBe('99999999999999.99');
  });
  it('refuses exponent notation written as a JSON number', () => {
    const body = parseJsonExact('{"amount": 1e2}') as { amount: unknown };
    expect(() => toMinorUnits(body.amount, 'USD')).toThrow(/not a plain decimal/);
  });
  it('reads 200.0 RWF as 200 and refuses 10.005 USD', () => {
    expect(toMinorUnits((parseJsonExact('[200.0]') as unknown[])[0], 'RWF').amountMinor).toBe('200');
    expect(() => toMinorUnits((parseJsonExact('[10.005]') as unknown[])[0], 'USD')).toThrow(/decimal places/);
  });
});
