const ONES = [
  'Zero',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];
const SCALES: Array<[bigint, string]> = [
  [1_000_000_000_000n, 'Trillion'],
  [1_000_000_000n, 'Billion'],
  [1_000_000n, 'Million'],
  [1_000n, 'Thousand'],
];

function underThousand(n: number): string[] {
  const words: string[] = [];
  if (n >= 100) {
    words.push(ONES[Math.floor(n / 100)]!, 'Hundred');
    n %= 100;
  }
  if (n >= 20) {
    words.push(TENS[Math.floor(n / 10)]!);
    if (n % 10) words.push(ONES[n % 10]!);
  } else if (n > 0) {
    words.push(ONES[n]!);
  }
  return words;
}

function wholeInWords(n: bigint): string[] {
  if (n === 0n) return ['Zero'];
  const words: string[] = [];
  for (const [scale, name] of SCALES) {
    if (n >= scale) {
      words.push(...wholeInWords(n / scale), name);
      n %= scale;
    }
  }
  if (n > 0n) words.push(...underThousand(Number(n)));
  return words;
}

/** Cents in words the way the seed writes them: `1` → "One", `0.97` → "Zero Point Nine Seven". */
export function amountInWords(cents: bigint): string {
  const words = wholeInWords(cents / 100n);
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  if (fraction) words.push('Point', ...[...fraction].map((d) => ONES[Number(d)]!));
  return words.join(' ');
}
