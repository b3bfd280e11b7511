import { centsToJsonNumber, computeCharges } from './charges';

describe('computeCharges', () => {
  it('matches the seed: 1.00 USD costs 0.03 and leaves 0.97', () => {
    expect(computeCharges(100n)).toEqual({ chargesCents: 3n, totalCents: 97n });
  });

  it('rounds half up to the cent and always adds up to the amount', () => {
    expect(computeCharges(50n)).toEqual({ chargesCents: 2n, totalCents: 48n }); // 1.5 cents → 2
    expect(computeCharges(1n)).toEqual({ chargesCents: 0n, totalCents: 1n });
    for (const cents of [1n, 17n, 333n, 99_999n, 123_456_789_012n]) {
      const { chargesCents, totalCents } = computeCharges(cents);
      expect(chargesCents + totalCents).toBe(cents);
    }
  });

  it('refuses a non-positive amount', () => {
    expect(() => computeCharges(0n)).toThrow(RangeError);
  });
});

describe('centsToJsonNumber', () => {
  it.each([
    [100n, '1'],
    [97n, '0.97'],
    [3n, '0.03'],
    [1250n, '12.5'],
    [900719925474099312n, '9007199254740993.12'],
  ])('%s → %s', (cents, text) => expect(centsToJsonNumber(cents)).toBe(text));
});
