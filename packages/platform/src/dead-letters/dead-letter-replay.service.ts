import { REPLAY_HEADER, type DeadLetterView, type TopicNamespace } from '@mm/contracts';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA, TOPICS } from '../kafka';
import { recordOperatorAction } from '../operators/operator-actions';
import type { Operator } from '../operators/operator-verifier';
import { replayHeaders } from './dead-letter-record';
import { findDeadLetter, markReplayed, toView } from './dead-letter.store';
import { DEAD_LETTERS_OPTIONS, type DeadLettersFeatureOptions } from './dead-letters.options';

export type DeadLetterErrorCode = 'NOT_FOUND' | 'ALREADY_REPLAYED' | 'NOT_REPLAYABLE';

export class DeadLetterError extends Error {
  constructor(
    readonly code: DeadLetterErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Replays one dead letter: its key, value and headers (with `mm_replay_of`) back to the topic it was refused from,
 * once. The row is locked, published (acks=all), marked replayed and audited in one transaction: a failed publish
 * leaves it open; a concurrent second replay waits for the lock and is refused. Publishing again is safe because every
 * consumer de-duplicates by event id (a commit lost after the publish at worst lets a letter be replayed twice).
 */
@Injectable()
export class DeadLetterReplayService implements OnApplicationShutdown {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly namespace: TopicNamespace,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersFeatureOptions,
    private readonly dataSource: DataSource,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async replay(id: string, reason: string, operator: Operator, correlationId?: string): Promise<DeadLetterView> {
    return this.dataSource.transaction(async (tx) => {
      const letter = await findDeadLetter(tx, id, true);
      if (!letter) throw new DeadLetterError('NOT_FOUND', `no dead letter ${id}`);
      if (letter.state === 'replayed') {
        throw new DeadLetterError('ALREADY_REPLAYED', `dead letter ${id} was replayed by ${letter.replayed_by} at ${letter.replayed_at}`);
      }
      const allowed = this.options.replayTopics.map((t) => this.namespace.topic(t));
      if (!letter.original_topic || !allowed.includes(letter.original_topic)) {
        throw new DeadLetterError(
          'NOT_REPLAYABLE',
          `dead letter ${id} came from ${letter.original_topic ?? 'no known topic'}, not a topic this service consumes`,
        );
      }
      await (this.connected ??= this.producer.connect().catch((error: unknown) => {
        this.connected = undefined;
        throw error;
      }));
      const marker = { name: REPLAY_HEADER, value: `${this.options.service}:${id}` };
      await this.producer.send({
        topic: letter.original_topic,
        acks: -1,
        messages: [{ key: letter.message_key, value: letter.value, headers: replayHeaders(letter.headers, marker) }],
      });
      await markReplayed(tx, id, operator.sub);
      await recordOperatorAction(tx, {
        operator,
        action: 'dead-letter.replay',
        subject: `dead-letter:${id}`,
        reason,
        details: { originalTopic: letter.original_topic, originalOffset: letter.original_offset, eventId: letter.event_id },
        ...(correlationId ? { correlationId } : {}),
      });
      return toView((await findDeadLetter(tx, id))!);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}
