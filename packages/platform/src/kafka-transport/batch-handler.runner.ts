import { isPermanentDataError } from '../database';
import { offsetOf, type BatchContext, type BatchResult } from './batch-context';
import { withBoundedAttempts } from './bounded-attempts';
import type { BatchOutcome, ReceivedBatch, ReceivedMessage, Rejection } from './kafka-transport.types';

type BatchHandler = (batch: ReceivedBatch) => Promise<BatchOutcome>;

/**
 * Runs one batch through a batch handler (the ledger: one transaction per batch), then dead-letters what the gate and
 * the handler refused, in offset order, and only then commits the batch's last offset. A transient failure hands the
 * whole batch back for redelivery; the handler's idempotence (unique event ids) makes the second pass a no-op. If the
 * handler throws a refusal as bad data, the batch is split into batches of one, each retried a bounded number of times
 * and dead-lettered if it keeps being refused, so one bad message cannot stall the partition.
 */
export async function runHandlerBatch(
  ctx: BatchContext,
  handle: BatchHandler,
  maxAttempts: number,
  logger: { warn(details: object, message: string): void },
): Promise<BatchResult> {
  const { topic, partition } = ctx;
  const last = ctx.admissions.at(-1);
  const first = ctx.admissions[0];
  if (!first || !last || !ctx.active()) return { nextOffset: first ? offsetOf(first) : '0' };
  const messages = ctx.admissions.flatMap((a) => (a.admitted ? [a.message] : []));
  const logicalTopic = messages[0]?.logicalTopic ?? '';
  const refused = ctx.admissions.flatMap((a) => (a.admitted ? [] : [a.rejection]));
  if (messages.length > 0) {
    try {
      refused.push(...(await handle({ topic, logicalTopic, partition, messages })).rejected);
    } catch (error) {
      if (!isPermanentDataError(error)) return { nextOffset: offsetOf(first), failure: error };
      logger.warn({ topic, partition, err: (error as Error).message }, 'batch refused by the database; handling its messages one by one');
      refused.push(...(await oneByOne(ctx, messages, handle, maxAttempts, logger)));
    }
  }
  await ctx.deadLetter(refused.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)));
  const lastOffset = offsetOf(last);
  await ctx.commit(lastOffset);
  await ctx.heartbeat();
  return { nextOffset: (BigInt(lastOffset) + 1n).toString() };
}

async function oneByOne(
  ctx: BatchContext,
  messages: ReceivedMessage[],
  handle: BatchHandler,
  maxAttempts: number,
  logger: { warn(details: object, message: string): void },
): Promise<Rejection[]> {
  const refused: Rejection[] = [];
  for (const message of messages) {
    const single = { topic: ctx.topic, logicalTopic: message.logicalTopic, partition: ctx.partition, messages: [message] };
    const attempted = await withBoundedAttempts(
      () => handle(single),
      maxAttempts,
      (attempt, reason) =>
        logger.warn(
          { topic: ctx.topic, partition: ctx.partition, offset: message.offset, attempt, err: reason },
          'message refused by the database; retrying before dead-lettering',
        ),
    );
    refused.push(...(attempted.ok ? attempted.value.rejected : [{ offset: message.offset, reason: attempted.reason }]));
  }
  return refused;
}
