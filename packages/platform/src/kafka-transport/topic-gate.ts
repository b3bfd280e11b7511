import { EventCatalog, isKnownEventType, parseEvent } from '@mm/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { ReceivedMessage, Rejection } from './kafka-transport.types';

export type Admission = { admitted: true; message: ReceivedMessage } | { admitted: false; rejection: Rejection; key: Buffer | null };

/**
 * The check every consumer gets, whatever its handler: a message is handed over only if it is a CloudEvents envelope
 * of a known type that the contracts' catalog assigns to the topic it came from. A payment published on the command
 * topic is forged whatever its content, so it is dead-lettered and never handled. A message of the right type that fails
 * its schema is handed over with the failure (`parsed.ok === false`) for the handler to judge.
 */
export function admit(message: KafkaMessage, topic: string, logicalTopic: string, partition: number): Admission {
  const parsed = parseEvent(message.value, message.headers, logicalTopic);
  if (!parsed.ok && !belongsHere(parsed.eventType, logicalTopic)) {
    return {
      admitted: false,
      key: message.key,
      rejection: { offset: message.offset, reason: parsed.reason, ...(parsed.eventId ? { eventId: parsed.eventId } : {}) },
    };
  }
  const { key, value, offset } = message;
  return { admitted: true, message: { topic, logicalTopic, partition, offset, key, value, headers: message.headers ?? {}, parsed } };
}

/** A known type the catalog assigns to this topic: its message failed only its schema (parseEvent checks type and topic first). */
function belongsHere(eventType: string | undefined, logicalTopic: string): boolean {
  return eventType !== undefined && isKnownEventType(eventType) && EventCatalog[eventType].topic === logicalTopic;
}
