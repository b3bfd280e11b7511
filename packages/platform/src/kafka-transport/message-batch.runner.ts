import type { BatchContext, BatchResult } from './batch-context';
import { offsetOf } from './batch-context';
import { withBoundedAttempts } from './bounded-attempts';
import type { ConsumerMetrics } from './consumer.metrics';
import type { KeyScheduler } from './key-scheduler';
import type { MessageOutcome, ReceivedMessage } from './kafka-transport.types';
import { OffsetTracker } from './offset-tracker';
import type { Admission } from './topic-gate';

export interface MessageRunnerDeps {
  scheduler: KeyScheduler;
  maxAttempts: number;
  metrics: ConsumerMetrics;
  logger: { warn(details: object, message: string): void };
}

/**
 * Runs one batch message by message: each message on its queue (`queueBy`, the Kafka key by default; order kept per
 * queue, `maxInFlight` overall across partitions), the finished prefix committed every second and at the end. A message
 * that fails transiently blocks the rest of its queue in this batch and the batch is handed back to be redelivered from
 * the last commit (handlers are idempotent); the others go on. A message the database refuses as bad data is retried a
 * bounded number of times and then dead-lettered, so it cannot stall its partition.
 */
export async function runMessageBatch(
  ctx: BatchContext,
  handle: (message: ReceivedMessage) => Promise<MessageOutcome>,
  queueBy: ((message: ReceivedMessage) => string) | undefined,
  deps: MessageRunnerDeps,
): Promise<BatchResult> {
  const { topic, partition } = ctx;
  const tracker = new OffsetTracker(ctx.admissions.map(offsetOf));
  const blocked = new Set<string>();
  let failure: unknown;
  let committed: string | undefined;
  let chain = Promise.resolve();
  // Serialised, so an older offset never lands after a newer one.
  const commit = () =>
    (chain = chain.then(async () => {
      const last = tracker.lastFinished;
      if (last === undefined || last === committed) return;
      await ctx.commit(last);
      committed = last;
    }));
  const progress = setInterval(
    () =>
      void commit()
        .then(() => ctx.heartbeat())
        .catch(() => undefined),
    1000,
  );
  try {
    await Promise.all(
      ctx.admissions.map((admission) => {
        const queue = queueOf(admission, queueBy);
        return deps.scheduler.run(queue, async () => {
          if (!ctx.active() || blocked.has(queue)) return;
          deps.metrics.inFlight.inc();
          try {
            await runOne(ctx, admission, handle, deps);
            tracker.finish(offsetOf(admission));
          } catch (error) {
            blocked.add(queue);
            failure ??= error;
            deps.logger.warn(
              { topic, partition, offset: offsetOf(admission), err: (error as Error).message },
              'message not processed; it will be redelivered',
            );
          } finally {
            deps.metrics.inFlight.dec();
          }
        });
      }),
    );
  } finally {
    clearInterval(progress);
  }
  await commit();
  const last = tracker.lastFinished;
  const first = ctx.admissions[0] ? offsetOf(ctx.admissions[0]) : '0';
  return { nextOffset: last === undefined ? first : (BigInt(last) + 1n).toString(), ...(failure === undefined ? {} : { failure }) };
}

async function runOne(
  ctx: BatchContext,
  admission: Admission,
  handle: (m: ReceivedMessage) => Promise<MessageOutcome>,
  deps: MessageRunnerDeps,
): Promise<void> {
  if (!admission.admitted) return ctx.deadLetter([admission.rejection]);
  const { message } = admission;
  const attempted = await withBoundedAttempts(
    () => handle(message),
    deps.maxAttempts,
    (attempt, reason) =>
      deps.logger.warn(
        { topic: ctx.topic, partition: ctx.partition, offset: message.offset, attempt, err: reason },
        'message refused by the database; retrying before dead-lettering',
      ),
  );
  const reason = attempted.ok ? attempted.value?.deadLetter : attempted.reason;
  if (reason !== undefined) await ctx.deadLetter([{ offset: message.offset, reason, ...eventIdOf(message) }]);
}

const eventIdOf = (m: ReceivedMessage): { eventId?: string } =>
  m.parsed.ok ? { eventId: m.parsed.event.id } : m.parsed.eventId ? { eventId: m.parsed.eventId } : {};

function queueOf(admission: Admission, queueBy: ((m: ReceivedMessage) => string) | undefined): string {
  if (admission.admitted && queueBy) return queueBy(admission.message);
  const key = admission.admitted ? admission.message.key : admission.key;
  return `key:${key?.toString('utf8') ?? ''}`;
}
