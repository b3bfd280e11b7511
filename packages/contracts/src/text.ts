import { z } from 'zod';

/**
 * C0 controls (NUL included), DEL and C1 controls. PostgreSQL refuses NUL in `text` and `jsonb`, and none of them
 * belongs in an id, an account or a receipt: a value carrying one is refused when parsed, never left to fail a
 * database statement (which would redeliver it forever).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const hasControlCharacters = (value: string): boolean => CONTROL_CHARACTERS.test(value);

/** A string of `min`–`max` characters without control characters. */
export const safeText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters (NUL, newline, …)');
