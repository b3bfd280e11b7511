import { amountInWords } from './amount-in-words';

describe('amountInWords', () => {
  it.each([
    [100n, 'One'],
    [97n, 'Zero Point Nine Seven'],
    [3n, 'Zero Point Zero Three'],
    [1250n, 'Twelve Point Five'],
    [123456789n, 'One Million Two Hundred Thirty Four Thousand Five Hundred Sixty Seven Point Eight Nine'],
    [2_000_000_000_00n, 'Two Billion'],
  ])('%s cents → %s', (cents, words) => {
    expect(amountInWords(cents)).toBe(words);
  });
});
