import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA1_BYTES = 20;
const BASE64 = /^[A-Za-z0-9+/]{27}=$/;

/**
 * The BBOXX signature: base64(HMAC-SHA1(secret, rawBody + MessageID + originId + CustomerId)), where
 * originId is the path's providerId. Computed over the exact bytes received (never a re-serialised body).
 */
export function computeSignature(secret: Buffer | string, rawBody: Buffer, messageId: string, providerId: string, customerId: string): Buffer {
  return createHmac('sha1', secret).update(rawBody).update(messageId, 'utf8').update(providerId, 'utf8').update(customerId, 'utf8').digest();
}

/** Parses `Authorization: <CustomerId>:<base64 mac>`; returns undefined when it is not of that shape. */
export function parseAuthorization(header: string): { customerId: string; mac: Buffer } | undefined {
  const value = header.trim();
  const colon = value.indexOf(':');
  if (colon <= 0) return undefined;
  const customerId = value.slice(0, colon).trim();
  const encoded = value.slice(colon + 1).trim();
  if (!BASE64.test(encoded)) return undefined;
  const mac = Buffer.from(encoded, 'base64');
  return mac.length === SHA1_BYTES ? { customerId, mac } : undefined;
}

/** Constant-time check of `mac` against every live secret (all are computed, so timing does not tell which matched). */
export function verifySignature(secrets: readonly Buffer[], mac: Buffer, rawBody: Buffer, messageId: string, providerId: string, customerId: string): boolean {
  let ok = false;
  for (const secret of secrets) {
    const expected = computeSignature(secret, rawBody, messageId, providerId, customerId);
    ok = timingSafeEqual(expected, mac) || ok;
  }
  return ok;
}
