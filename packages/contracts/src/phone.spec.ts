import { normalisePhone } from './phone';

describe('normalisePhone', () => {
  it.each([
    ['250786474859', 'RW', '+250786474859'],
    ['+250786474859', 'RW', '+250786474859'],
    ['00250786474859', undefined, '+250786474859'],
    ['0786474859', 'RW', '+250786474859'],
    ['0786 474 859', 'rw', '+250786474859'],
    ['0712345678', 'KE', '+254712345678'],
    ['+252612345678', undefined, '+252612345678'],
  ])('%s (%s) → %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['0786474859', undefined],
    ['250786474859', 'KE'],
    ['12', 'RW'],
    ['abc', 'RW'],
    ["0786474859' or 1=1", 'RW'],
    ['٠٧٨٦٤٧٤٨٥٩', 'RW'],
    ['9'.repeat(40), 'RW'],
    ['', 'RW'],
  ])('refuses %p (%s)', (raw, country) => {
    expect(normalisePhone(raw, country).ok).toBe(false);
  });
});
