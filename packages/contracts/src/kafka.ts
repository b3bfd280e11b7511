import type { IHeaders, Message, Producer } from 'kafkajs';
import { AnyEnvelopeSchema, createEnvelope, type EnvelopeInit } from './envelope';
import { DEBIT_REQUESTED, type DebitRequested, type DebitRequestedEvent } from './events/debit';
import { EventCatalog, isKnownEventType, type MmEvent } from './events/registry';
import { TopicNamespace } from './topics';

/** Largest event accepted from Kafka; anything bigger is poison, not a payment. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** Serialises an event for Kafka: structured-mode JSON value, key = account, `ce_type`/`ce_id` headers. */
export function toKafkaMessage(event: MmEvent, key: string): Message {
  return {
    key,
    value: JSON.stringify(event),
    headers: { ce_type: event.type, ce_id: event.id, ce_specversion: '1.0', 'content-type': 'application/cloudevents+json' },
  };
}

export type ParseFailure = { ok: false; reason: string; eventId?: string; eventType?: string };
export type ParseResult = { ok: true; event: MmEvent } | ParseFailure;

/**
 * Parses and validates one Kafka message value. Never throws: poison becomes a reason a consumer can
 * dead-letter. Unknown extra fields are accepted (a v1 consumer reads newer compatible v1 events).
 * With `fromTopic` (the logical topic the message came from), an event whose type the catalog assigns to another
 * topic is refused: a payment published on the command topic is forged, whatever its content.
 */
export function parseEvent(value: Buffer | string | null | undefined, _headers?: IHeaders, fromTopic?: string): ParseResult {
  if (value === null || value === undefined) return { ok: false, reason: 'empty message value' };
  const size = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  if (size > MAX_EVENT_BYTES) return { ok: false, reason: `message of ${size} bytes exceeds ${MAX_EVENT_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const envelope = AnyEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `not a CloudEvents 1.0 envelope: ${summarise(envelope.error.issues)}` };
  const { id, type } = envelope.data;
  if (!isKnownEventType(type)) return { ok: false, reason: `unknown event type ${type}`, eventId: id, eventType: type };
  if (fromTopic !== undefined && EventCatalog[type].topic !== fromTopic) {
    return { ok: false, reason: `event type ${type} does not belong on topic ${fromTopic}`, eventId: id, eventType: type };
  }
  let parsed;
  try {
    parsed = EventCatalog[type].schema.safeParse(json);
  } catch (error) {
    // A schema must never throw on hostile input; if one does, the message is still poison, not a crash.
    return { ok: false, reason: `invalid ${type}: ${(error as Error).message}`, eventId: id, eventType: type };
  }
  if (!parsed.success) {
    return { ok: false, reason: `invalid ${type}: ${summarise(parsed.error.issues)}`, eventId: id, eventType: type };
  }
  return { ok: true, event: parsed.data as MmEvent };
}

function summarise(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Typed publisher for internal services: build and send a DebitRequested command on its topic. */
export class DebitCommandPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly source: string,
    private readonly namespace = new TopicNamespace(),
  ) {}

  async publish(
    command: DebitRequested,
    meta: Pick<EnvelopeInit<typeof DEBIT_REQUESTED, DebitRequested>, 'correlationId' | 'causationId'>,
  ): Promise<DebitRequestedEvent> {
    const parsed = EventCatalog[DEBIT_REQUESTED].schema.shape.data.parse(command);
    const event = createEnvelope({
      type: DEBIT_REQUESTED,
      source: this.source,
      subject: parsed.commandId,
      data: parsed,
      ...meta,
    }) as DebitRequestedEvent;
    await this.producer.send({
      topic: this.namespace.topic(EventCatalog[DEBIT_REQUESTED].topic),
      acks: -1,
      messages: [toKafkaMessage(event, parsed.accountNumber)],
    });
    return event;
  }
}

/** Values larger than this are cut in the DLQ copy (the original stays in its topic at the recorded offset). */
export const MAX_DEAD_LETTER_BYTES = 512 * 1024;

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/**
 * The DLQ copy of a poison message: the original key, value and headers, plus why and where it came from.
 * Oversized values are truncated so the DLQ write itself cannot be refused by the broker.
 */
export function deadLetterMessage(source: DeadLetterSource, reason: string): Message {
  const value = source.value;
  const truncated = value !== null && value.length > MAX_DEAD_LETTER_BYTES;
  return {
    key: source.key,
    value: truncated ? value.subarray(0, MAX_DEAD_LETTER_BYTES) : value,
    headers: {
      ...(source.headers ?? {}),
      mm_dlq_reason: reason.slice(0, 1000),
      mm_dlq_topic: source.topic,
      mm_dlq_partition: String(source.partition),
      mm_dlq_offset: source.offset,
      mm_dlq_time: new Date().toISOString(),
      ...(truncated ? { mm_dlq_truncated_from: String(value.length) } : {}),
    },
  };
}
