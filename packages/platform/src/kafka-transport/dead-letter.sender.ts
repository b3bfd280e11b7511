import { deadLetterMessage } from '@mm/contracts';
import type { IHeaders, Producer } from 'kafkajs';
import type { Rejection } from './kafka-transport.types';

export interface DeadLetterSource {
  topic: string;
  partition: number;
  messages: ReadonlyMap<string, { key: Buffer | null; value: Buffer | null; headers?: IHeaders }>;
}

/**
 * Sends refused messages to the service's dead-letter topic: the original key, bytes and headers with the reason and where they
 * came from in headers, so they can be inspected and replayed (`mm dlq`). `acks=all` before the partition moves on: an
 * unsent dead letter fails the batch and it is retried. One message per request, so several large poison values can
 * never add up past the broker's request limit.
 */
export async function sendToDeadLetter(
  producer: Producer,
  dlqTopic: string,
  source: DeadLetterSource,
  rejections: readonly Rejection[],
): Promise<void> {
  for (const r of rejections) {
    const original = source.messages.get(r.offset);
    const message = deadLetterMessage(
      {
        topic: source.topic,
        partition: source.partition,
        offset: r.offset,
        key: original?.key ?? null,
        value: original?.value ?? null,
        headers: original?.headers ?? {},
      },
      r.reason,
    );
    if (r.eventId) message.headers = { ...message.headers, mm_dlq_event_id: r.eventId };
    await producer.send({ topic: dlqTopic, acks: -1, messages: [message] });
  }
}
