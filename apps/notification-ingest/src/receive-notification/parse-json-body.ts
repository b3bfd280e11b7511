import { isJsonDecimal, parseJsonExact } from '@mm/contracts';
import { IngestError, IngestErrorCode } from './ingest.errors';

const MAX_DEPTH = 32;

/**
 * Parses the (already authenticated) raw body. Numbers stay the exact text the provider wrote (`JsonDecimal`), so an
 * amount never passes through a float and exponent notation stays visible to refuse; a key repeated with another
 * value is refused (which one counts would be a guess). Keys that poison prototypes when a parsed object is later
 * merged (`__proto__`, `constructor.prototype`) are refused outright, at any depth, as Fastify's own parser would.
 */
export function parseJsonBody(rawBody: Buffer): unknown {
  let body: unknown;
  try {
    body = parseJsonExact(rawBody.toString('utf8'));
  } catch {
    throw new IngestError(IngestErrorCode.InvalidRequest, 'body is not valid JSON', [{ field: 'body', message: 'not valid JSON' }]);
  }
  const poisoned = findPoisonedKey(body, 0);
  if (poisoned) {
    throw new IngestError(IngestErrorCode.InvalidRequest, `body contains the forbidden key ${poisoned}`, [
      { field: poisoned, message: 'forbidden key' },
    ]);
  }
  return body;
}

function findPoisonedKey(value: unknown, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null || isJsonDecimal(value)) return undefined;
  if (depth > MAX_DEPTH) return '(nesting too deep)';
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return key;
    if (key === 'constructor' && typeof child === 'object' && child !== null && Object.prototype.hasOwnProperty.call(child, 'prototype')) {
      return 'constructor.prototype';
    }
    const nested = findPoisonedKey(child, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}
