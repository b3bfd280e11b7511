import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { bboxxMac } from '@mm/contracts';

const SHA1_BYTES = 20;
const BASE64 = /^[A-Za-z0-9+/]{27}=$/;

/** The BBOXX MAC (contracts' `bboxxMac`) over the exact bytes received, never a re-serialised body. */
export const computeSignature = (
  secret: KeyObject | Buffer | string,
  rawBody: Buffer,
  messageId: string,
  providerId: string,
  customerId: string,
): Buffer => bboxxMac(secret, rawBody, messageId, providerId, customerId);

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
export function verifySignature(
  secrets: readonly (KeyObject | Buffer)[],
  mac: Buffer,
  rawBody: Buffer,
  messageId: string,
  providerId: string,
  customerId: string,
): boolean {
  let ok = false;
  for (const secret of secrets) {
    const expected = computeSignature(secret, rawBody, messageId, providerId, customerId);
    ok = timingSafeEqual(expected, mac) || ok;
  }
  return ok;
}
