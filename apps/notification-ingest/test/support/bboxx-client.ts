import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { bboxxAuthorization } from '@mm/contracts';

/** A provider's view of the API: signs with the contracts' signer (itself checked against the seed's Python snippet). */
export const sign = bboxxAuthorization;

export interface Notification {
  body: string;
  messageId: string;
  providerId: string;
  customerId: string;
  headers: Record<string, string>;
}

export const notificationPath = (providerId: string, customerId: string) =>
  `/mm/1.0/payments/payment/${encodeURIComponent(providerId)}/customers/${encodeURIComponent(customerId)}/payments`;

/** A unique, correctly signed notification; `fields` override or extend the seed's body. */
export function signedNotification(
  secret: string,
  fields: Record<string, unknown> = {},
  options: { providerId?: string; customerId?: string; messageId?: string; smsSupport?: 'Y' | 'N' } = {},
): Notification {
  const providerId = options.providerId ?? '200';
  const customerId = options.customerId ?? '12000';
  const messageId = options.messageId ?? randomUUID();
  const body = JSON.stringify({
    transactionId: `tx-${randomUUID()}`,
    amount: 200.0,
    currency: 'RWF',
    subscriber: '250786474859',
    countryCode: 'RW',
    ...fields,
  });
  return {
    body,
    messageId,
    providerId,
    customerId,
    headers: {
      Authorization: sign(secret, body, messageId, providerId, customerId),
      MessageID: messageId,
      MessageTimestamp: '20161029113022',
      'Content-Type': 'application/json',
      ...(options.smsSupport ? { SMSSupport: options.smsSupport } : {}),
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

/** POSTs with node:http so header names and repeats go on the wire exactly as given (fetch would merge them). */
export function post(baseUrl: string, path: string, rawHeaders: [string, string][], body: string | Buffer): Promise<Answer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const flat = [['Host', url.host], ['Content-Length', String(payload.length)], ...rawHeaders].flat();
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: flat as unknown as Record<string, string> },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Left empty: the assertions on `json` then fail and show `text`.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends a notification as built (with optional header changes: `null` removes one). */
export function send(
  baseUrl: string,
  n: Notification,
  changes: Record<string, string | null> = {},
  body: string | Buffer = n.body,
): Promise<Answer> {
  const headers = { ...n.headers };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return post(baseUrl, notificationPath(n.providerId, n.customerId), Object.entries(headers), body);
}
