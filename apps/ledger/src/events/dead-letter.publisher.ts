import { deadLetterMessage } from '@mm/contracts';
import type { Producer } from 'kafkajs';

export interface PoisonMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  reason: string;
  eventId?: string;
}

/**
 * Sends poison to the ledger's dead-letter topic: the original key and bytes with the reason and where it came
 * from in headers, so it can be inspected and replayed (`mm dlq`). `acks=all` before the partition moves on: an
 * unsent dead letter fails the batch and it is retried. One message per request, so that several large poison
 * values can never add up past the broker's request limit.
 */
export async function sendToDeadLetter(producer: Producer, dlqTopic: string, source: { topic: string; partition: number }, poison: PoisonMessage[]): Promise<void> {
  for (const p of poison) {
    const message = deadLetterMessage({ ...source, offset: p.offset, key: p.key, value: p.value }, p.reason);
    if (p.eventId) message.headers = { ...message.headers, mm_dlq_event_id: p.eventId };
    await producer.send({ topic: dlqTopic, acks: -1, messages: [message] });
  }
}
