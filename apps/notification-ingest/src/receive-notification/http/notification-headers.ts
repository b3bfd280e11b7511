import type { IncomingHttpHeaders } from 'node:http';
import { BBOXX_MESSAGE_ID as MESSAGE_ID, BBOXX_MESSAGE_TIMESTAMP as TIMESTAMP } from '@mm/contracts';
import { IngestError, IngestErrorCode, type FieldError } from '../ingest.errors';
import type { ParsedHeaders } from '../normalise-notification';

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
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi;
  return roundTrips ? date.toISOString() : undefined;
}

/**
 * Reads the BBOXX headers. Names are case-insensitive (Node lower-cases them); surrounding whitespace in values
 * is tolerated (the seed's own example has `' Authorization'`). A repeated BBOXX header is refused.
 */
export function parseNotificationHeaders(headers: IncomingHttpHeaders, rawHeaders: string[]): ParsedHeaders {
  const errors: FieldError[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.trim().toLowerCase();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  // Node keeps only the first of some repeated headers and joins others with ", ": refuse repeats outright.
  const read = (name: string, field: string): string | undefined => {
    if ((counts.get(name) ?? 0) > 1) {
      errors.push({ field, message: 'header must appear once' });
      return undefined;
    }
    const value = single(headers, name);
    if (value === undefined && field !== 'SMSSupport') errors.push({ field, message: 'header is required' });
    return value;
  };
  const authorization = read('authorization', 'Authorization');
  const messageId = read('messageid', 'MessageID');
  if (messageId !== undefined && !MESSAGE_ID.test(messageId))
    errors.push({ field: 'MessageID', message: 'must be 1-128 of [A-Za-z0-9._:-]' });
  const timestampRaw = read('messagetimestamp', 'MessageTimestamp');
  const messageTimestamp = timestampRaw ? parseMessageTimestamp(timestampRaw) : undefined;
  if (timestampRaw !== undefined && !messageTimestamp) errors.push({ field: 'MessageTimestamp', message: 'must be YYYYMMDDHHmmss (UTC)' });
  const sms = read('smssupport', 'SMSSupport')?.toUpperCase();
  if (sms !== undefined && sms !== 'Y' && sms !== 'N') errors.push({ field: 'SMSSupport', message: 'must be Y or N' });
  if ((counts.get('content-type') ?? 0) > 1) errors.push({ field: 'Content-Type', message: 'header must appear once' });
  if (errors.length > 0 || !authorization || !messageId) {
    throw new IngestError(IngestErrorCode.InvalidRequest, `invalid headers: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
  return { authorization, messageId, smsSupport: sms === 'Y', ...(messageTimestamp ? { messageTimestamp } : {}) };
}
