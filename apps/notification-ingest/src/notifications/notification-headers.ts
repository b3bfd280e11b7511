import type { IncomingHttpHeaders } from 'node:http';
import { IngestError, IngestErrorCode, type FieldError } from './ingest.errors';
import type { NotificationHeaders } from './normalise-notification';

const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

export interface ParsedHeaders extends NotificationHeaders {
  authorization: string;
}

const single = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

/** MessageTimestamp is `YYYYMMDDHHmmss` in UTC (the seed gives no zone); it is not signed, so it is informational. */
export function parseMessageTimestamp(value: string): string | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const roundTrips =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi;
  return roundTrips ? date.toISOString() : undefined;
}

/**
 * Reads the BBOXX headers. Names are case-insensitive (Node lower-cases them); surrounding whitespace in values
 * is tolerated (the seed's own example has `' Authorization'`). A repeated Authorization header is refused.
 */
export function parseNotificationHeaders(headers: IncomingHttpHeaders, rawHeaders: string[]): ParsedHeaders {
  const errors: FieldError[] = [];
  const authCount = rawHeaders.filter((h, i) => i % 2 === 0 && h.trim().toLowerCase() === 'authorization').length;
  const authorization = single(headers, 'authorization');
  if (!authorization) errors.push({ field: 'Authorization', message: 'header is required' });
  else if (authCount > 1) errors.push({ field: 'Authorization', message: 'header must appear once' });
  const messageId = single(headers, 'messageid');
  if (!messageId) errors.push({ field: 'MessageID', message: 'header is required' });
  else if (!MESSAGE_ID.test(messageId)) errors.push({ field: 'MessageID', message: 'must be 1-128 of [A-Za-z0-9._:-]' });
  const timestampRaw = single(headers, 'messagetimestamp');
  const messageTimestamp = timestampRaw ? parseMessageTimestamp(timestampRaw) : undefined;
  if (!timestampRaw) errors.push({ field: 'MessageTimestamp', message: 'header is required' });
  else if (!messageTimestamp) errors.push({ field: 'MessageTimestamp', message: 'must be YYYYMMDDHHmmss (UTC)' });
  const sms = single(headers, 'smssupport')?.toUpperCase();
  if (sms !== undefined && sms !== 'Y' && sms !== 'N') errors.push({ field: 'SMSSupport', message: 'must be Y or N' });
  if (errors.length > 0 || !authorization || !messageId) {
    throw new IngestError(IngestErrorCode.InvalidRequest, `invalid headers: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
  return { authorization, messageId, smsSupport: sms === 'Y', ...(messageTimestamp ? { messageTimestamp } : {}) };
}
