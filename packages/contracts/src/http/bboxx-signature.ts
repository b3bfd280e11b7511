import { createHmac, type KeyObject } from 'node:crypto';

/**
 * The BBOXX notification signature, the one implementation that ingest verifies with and the CLI, the tests, the
 * benchmark and the fault suite sign with: HMAC-SHA1(secret, rawBody + MessageID + originId + CustomerId), where
 * originId is the path's providerId. The body is taken as the exact bytes sent (a string is sent as UTF-8), never
 * re-serialised. (The Python signer in @mm/testing stays apart on purpose: it is the independent check of this one.)
 * Imported alone as `@mm/contracts/bboxx-signature` by the bare-Node benchmark baseline, which must not load zod.
 */
export function bboxxMac(
  secret: KeyObject | string | Buffer,
  rawBody: string | Buffer,
  messageId: string,
  providerId: string,
  customerId: string,
): Buffer {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return createHmac('sha1', secret).update(body).update(messageId, 'utf8').update(providerId, 'utf8').update(customerId, 'utf8').digest();
}

/** The `Authorization` header a provider sends: `<CustomerId>:<base64 MAC>`. */
export function bboxxAuthorization(
  secret: KeyObject | string | Buffer,
  rawBody: string | Buffer,
  messageId: string,
  providerId: string,
  customerId: string,
): string {
  return `${customerId}:${bboxxMac(secret, rawBody, messageId, providerId, customerId).toString('base64')}`;
}
