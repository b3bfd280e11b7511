import { queryOnce } from '@mm/testing';
import { connect } from 'node:net';
import type { Answer } from './bboxx-client';

/** The BBOXX rejection body, with any (or the given) field errors. */
export const rejected = (errors: unknown = expect.any(Array)) => ({ status: 'REJECTED', Description: expect.any(String), errors });

export const fieldsOf = (a: Answer) => (a.json.errors as { field?: string }[]).map((e) => e.field);

/** How many notifications are stored under a MessageID. */
export const storedCount = async (dbUrl: string, messageId: string): Promise<number> =>
  (await queryOnce<{ n: number }>(dbUrl, `select count(*)::int as n from ingest.notifications where message_id = $1`, [messageId]))[0]!.n;

/** The event written to the outbox for a payment. */
export const storedEvent = async (dbUrl: string, paymentId: string) =>
  JSON.parse(
    (
      await queryOnce<{ payload: string }>(dbUrl, `select payload from ingest.outbox where payload::jsonb->'data'->>'paymentId' = $1`, [
        paymentId,
      ])
    )[0]!.payload,
  ) as { type: string; subject: string; data: Record<string, unknown> };

/** Sends bytes exactly as given (for requests no HTTP client would produce) and returns the raw answer. */
export function rawRequest(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString('utf8')));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}
