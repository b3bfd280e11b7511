import { isLosslessNumber, parse } from 'lossless-json';
import { z } from 'zod';

/** A JSON number kept as the exact text it was written with, so money never passes through a float. */
export class JsonDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * `JSON.parse` for bodies that carry money: every number becomes a `JsonDecimal` holding its source text
 * (`99999999999999.99` stays exact, `1e2` stays visibly exponent notation). Throws SyntaxError like JSON.parse.
 */
export function parseJsonExact(text: string): unknown {
  return parse(text, null, (value: string) => new JsonDecimal(value));
}

export const isJsonDecimal = (value: unknown): value is JsonDecimal => value instanceof JsonDecimal || isLosslessNumber(value);

/** A JSON number as `parseJsonExact` leaves it; documented as a number in the generated JSON Schemas. */
export const JsonDecimalSchema = z.custom<JsonDecimal>(isJsonDecimal, { message: 'expected a number' }).meta({ type: 'number' });

/**
 * An identifier a provider may send as a string or as a JSON integer: the integer is kept as the digits written (a
 * float would round anything beyond 2^53), and a fraction, a sign or exponent notation is refused.
 */
export const integerTextOf = (value: JsonDecimal): string | undefined =>
  /^(0|[1-9][0-9]*)$/.test(value.toString()) ? value.toString() : undefined;
