import { z } from 'zod';
import { isJsonDecimal } from './json-exact';

/**
 * ISO 4217 minor-unit exponents for the currencies mm handles. A currency missing here is rejected:
 * guessing an exponent is how amounts end up off by a factor of 100.
 */
export const CURRENCY_EXPONENTS = {
  BIF: 0,
  CDF: 2,
  DJF: 0,
  ETB: 2,
  EUR: 2,
  GBP: 2,
  GHS: 2,
  GNF: 0,
  KES: 2,
  MGA: 2,
  MWK: 2,
  MZN: 2,
  NGN: 2,
  RWF: 0,
  SOS: 2,
  SSP: 2,
  TZS: 2,
  UGX: 0,
  USD: 2,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
  ZMW: 2,
} as const satisfies Record<string, number>;

export type Currency = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as [Currency, ...Currency[]];
export const CurrencySchema = z.enum(CURRENCIES);

export function isCurrency(value: string): value is Currency {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, value);
}

/** Integer minor units as a decimal string: no float ever carries money between services. */
export const MoneySchema = z
  .object({
    amountMinor: z.string().regex(/^-?(0|[1-9][0-9]{0,30})$/, 'amountMinor must be an integer string'),
    currency: CurrencySchema,
  })
  .strict();
export type Money = z.infer<typeof MoneySchema>;

export type AmountError = 'not_a_number' | 'too_precise' | 'too_large' | 'not_positive' | 'unknown_currency';

export class AmountParseError extends Error {
  constructor(
    readonly code: AmountError,
    message: string,
  ) {
    super(message);
    this.name = 'AmountParseError';
  }
}

/** Largest decimal magnitude accepted from a provider (digits of the integer part). */
const MAX_INTEGER_DIGITS = 15;

/**
 * Converts a provider's decimal amount into integer minor units of `currency`. Rejects, never rounds:
 * `10.005 USD` fails, `200.0 RWF` is 200. Pass a `JsonDecimal` (from `parseJsonExact`) or a string: the exact
 * text is read. A JS number is accepted only when its shortest round-trip text is a plain decimal, and callers
 * that hold a request body should never produce one (JSON.parse has already rounded it).
 */
export function toMinorUnits(value: unknown, currency: string): Money {
  if (!isCurrency(currency)) throw new AmountParseError('unknown_currency', `unknown currency ${JSON.stringify(currency)}`);
  let text: string;
  if (isJsonDecimal(value)) {
    text = value.toString();
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AmountParseError('not_a_number', 'amount must be a finite number');
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new AmountParseError('not_a_number', 'amount must be a number or a decimal string');
  }
  const match = /^(-)?([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw new AmountParseError('not_a_number', `amount ${JSON.stringify(text.slice(0, 40))} is not a plain decimal`);
  const [, sign, intPartRaw = '', fracRaw = ''] = match;
  const exponent = CURRENCY_EXPONENTS[currency];
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > exponent) {
    throw new AmountParseError('too_precise', `${currency} allows ${exponent} decimal places, got ${frac.length}`);
  }
  const intPart = intPartRaw.replace(/^0+(?=[0-9])/, '');
  if (intPart.length > MAX_INTEGER_DIGITS) throw new AmountParseError('too_large', 'amount is too large');
  const minor = BigInt(intPart + frac.padEnd(exponent, '0'));
  if (sign === '-' && minor !== 0n) throw new AmountParseError('not_positive', 'amount must be greater than zero');
  if (minor <= 0n) throw new AmountParseError('not_positive', 'amount must be greater than zero');
  return { amountMinor: minor.toString(), currency };
}

/** Renders minor units as a decimal string in the currency's exponent (for APIs that speak decimals). */
export function formatMinorUnits(money: Money): string {
  const exponent = CURRENCY_EXPONENTS[money.currency];
  const negative = money.amountMinor.startsWith('-');
  const digits = (negative ? money.amountMinor.slice(1) : money.amountMinor).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${whole}` : whole;
}
