import { suspenseByAge } from './suspense-by-age';

describe('suspenseByAge', () => {
  it('gives every age bucket youngest first, counts added over currencies and amounts kept per currency', () => {
    expect(
      suspenseByAge([
        { currency: 'KES', age: '>7d', count: 1, amountMinor: '150' },
        { currency: 'USD', age: '<1h', count: 2, amountMinor: '9007199254740993' },
        { currency: 'KES', age: '<1h', count: 1, amountMinor: '5' },
      ]),
    ).toEqual([
      {
        age: '<1h',
        count: 3,
        amounts: [
          { currency: 'USD', amountMinor: '9007199254740993' },
          { currency: 'KES', amountMinor: '5' },
        ],
      },
      { age: '1-24h', count: 0, amounts: [] },
      { age: '1-7d', count: 0, amounts: [] },
      { age: '>7d', count: 1, amounts: [{ currency: 'KES', amountMinor: '150' }] },
    ]);
  });

  it('shows an empty suspense as four empty buckets, not as nothing', () => {
    expect(suspenseByAge([]).map((b) => [b.age, b.count])).toEqual([
      ['<1h', 0],
      ['1-24h', 0],
      ['1-7d', 0],
      ['>7d', 0],
    ]);
  });
});
