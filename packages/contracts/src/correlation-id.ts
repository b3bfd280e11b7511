import { z } from 'zod';
import { uuidv7 } from './uuid';

/** The HTTP header a caller names its correlation id in (header names are case-insensitive; Node gives them lower-case). */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * A correlation id a caller may choose: 1–128 letters, digits or `._:-`. It is copied into every log line and event
 * of the request, so anything else (spaces, quotes, control characters, a megabyte) is not taken.
 */
export const CorrelationIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

/** The caller's correlation id when it is well-formed (the first, if the header came twice), else a new one. */
export function correlationIdFrom(header: string | string[] | undefined, generate: () => string = uuidv7): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CorrelationIdSchema.safeParse(value).success ? value : generate();
}
