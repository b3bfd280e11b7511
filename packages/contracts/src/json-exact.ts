import { isLosslessNumber, parse } from 'lossless-json';

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
