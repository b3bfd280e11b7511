import type { IHeaders, Producer } from 'kafkajs';

export interface PoisonMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  reason: string;
  eventId?: string;
}

/**
 * Sends poison to the ledger's dead-letter topic: the original key and bytes, untouched, with the reason and
 * where it came from in headers, so it can be inspected and replayed by hand. `acks=all` before the
 * partition moves on: an unsent dead letter fails the batch and it is retried.
 */
export async function sendToDeadLetter(producer: Producer, dlqTopic: string, source: { topic: string; partition: number }, poison: PoisonMessage[]): Promise<void> {
  if (poison.length === 0) return;
  await producer.send({
    topic: dlqTopic,
    acks: -1,
    messages: poison.map((p) => {
      const headers: IHeaders = {
        mm_dlq_reason: p.reason.slice(0, 1000),
        mm_dlq_topic: source.topic,
        mm_dlq_partition: String(source.partition),
        mm_dlq_offset: p.offset,
      };
      if (p.eventId) headers.mm_dlq_event_id = p.eventId;
      return { key: p.key, value: p.value, headers };
    }),
  });
}
