import type { ParseResult } from '@mm/contracts';
import type { IHeaders } from 'kafkajs';

/**
 * One Kafka message as a handler receives it, after the transport's gate: its event type is known and belongs to the
 * logical topic it came from. `parsed` is the full schema check (`parseEvent`): a handler decides what a schema-invalid
 * message means for it (the ledger dead-letters it, payment-debit answers the sender with a DebitFailed).
 */
export interface ReceivedMessage {
  /** Physical topic (with the environment's prefix). */
  topic: string;
  /** The contracts' topic name: what `@EventPattern` matches. */
  logicalTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  parsed: ParseResult;
}

/** What a batch handler receives: the admitted messages of one fetched batch of one partition, in offset order. */
export interface ReceivedBatch {
  topic: string;
  logicalTopic: string;
  partition: number;
  messages: ReceivedMessage[];
}

/** A message the handler refuses for good: it is dead-lettered with the reason and the partition moves on. */
export interface Rejection {
  offset: string;
  reason: string;
  eventId?: string;
}

/** A message handler returns nothing when the work is stored, or a reason to dead-letter the message. */
export type MessageOutcome = void | { deadLetter: string };

/** A batch handler returns the messages it refused; everything else in the batch is stored. */
export interface BatchOutcome {
  rejected: Rejection[];
}

/**
 * The extras of `@EventPattern(topic, extras)` this transport reads. `batch: true` makes the method a batch handler
 * (`(batch: ReceivedBatch) => Promise<BatchOutcome>`); otherwise it is called once per message
 * (`(message: ReceivedMessage) => Promise<MessageOutcome>`) on the queue named by `queueBy` (the Kafka key by default):
 * one queue's messages run in order, different queues side by side up to the transport's `maxInFlight`.
 */
export interface KafkaHandlerExtras {
  batch?: boolean;
  queueBy?: (message: ReceivedMessage) => string;
}
