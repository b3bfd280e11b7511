import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One DLQ message as the inbox stores it. */
export interface DeadLetterRecord {
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  key: Buffer | null;
  headers: Record<string, string>;
  value: Buffer | null;
  reason: string;
  eventId: string | null;
}

// eslint-disable-next-line no-control-regex -- PostgreSQL refuses NUL in text and jsonb: it is the one character replaced
const NUL = /\u0000/g;

/** Text PostgreSQL accepts: NUL becomes U+FFFD (a refused insert would redeliver the batch forever). */
export const storableText = (s: string): string => s.replace(NUL, '\uFFFD');

/** Header values as text (the first of repeated ones); a header without a value is left out. */
export function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v !== undefined) out[storableText(name)] = storableText(v.toString());
  }
  return out;
}

const integer = (v: string | undefined, digits: number): string | null =>
  v !== undefined && new RegExp(`^[0-9]{1,${digits}}$`).test(v) ? v : null;

/**
 * Reads one message of a DLQ topic (written by `sendToDeadLetter`): the reason and origin come from its `mm_dlq_*`
 * headers. Never throws: a message without them (written by hand, or by an older writer) is stored with what it has.
 */
export function toDeadLetterRecord(topic: string, partition: number, message: KafkaMessage): DeadLetterRecord {
  const headers = headersAsText(message.headers);
  const origin = headers.mm_dlq_topic;
  const originalPartition = integer(headers.mm_dlq_partition, 9);
  return {
    dlqTopic: topic,
    dlqPartition: partition,
    dlqOffset: message.offset,
    originalTopic: origin && /^[A-Za-z0-9._-]{1,249}$/.test(origin) ? origin : null,
    originalPartition: originalPartition === null ? null : Number(originalPartition),
    originalOffset: integer(headers.mm_dlq_offset, 18),
    key: message.key ?? null,
    headers,
    value: message.value ?? null,
    reason: (headers.mm_dlq_reason ?? 'no reason recorded').slice(0, 2000),
    eventId: headers.mm_dlq_event_id?.slice(0, 128) ?? null,
  };
}

/** The headers a replay publishes: the original's, without the DLQ's own, plus the replay marker. */
export function replayHeaders(stored: Record<string, string>, marker: { name: string; value: string }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(stored)) if (!name.startsWith('mm_dlq_')) out[name] = value;
  out[marker.name] = marker.value;
  return out;
}
