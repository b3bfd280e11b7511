import type { Consumer, ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics, Kafka } from 'kafkajs';

export interface SupervisedConsumerOptions {
  kafka: Kafka;
  config: ConsumerConfig;
  subscription: ConsumerSubscribeTopics;
  run: ConsumerRunConfig;
  logger: { error(details: object, message: string): void; warn(details: object, message: string): void };
  /**
   * Called with true once the consumer has joined its group and finished a fetch (so its starting offsets are
   * resolved: a message produced afterwards is seen even by a new group starting at the log end), false when it
   * crashed or stopped.
   */
  onMembership?: (joined: boolean) => void;
  maxBackoffMs?: number;
}

/**
 * A kafkajs consumer that comes back by itself. kafkajs restarts a consumer after a retriable failure, but after a
 * non-retriable one (for example "the coordinator is not aware of this member" on a commit after Kafka or the
 * database was away longer than the session timeout) it stays stopped while the process lives on, and commands
 * or events would silently stop being consumed. Here such a crash rebuilds the consumer, with backoff.
 * Offsets are only ever committed after the work is stored, so a rebuilt consumer redelivers, it never skips.
 */
export class SupervisedConsumer {
  private current?: Consumer;
  private stopping = false;
  private backoffMs = 500;
  private restarting?: Promise<void>;

  constructor(private readonly o: SupervisedConsumerOptions) {}

  /** The live consumer (commit offsets on this one). */
  get consumer(): Consumer {
    if (!this.current) throw new Error('consumer not started');
    return this.current;
  }

  async start(): Promise<void> {
    const consumer = this.o.kafka.consumer(this.o.config);
    this.current = consumer;
    let joinedSinceFetch = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.backoffMs = 500;
      joinedSinceFetch = true;
    });
    consumer.on(consumer.events.FETCH, () => {
      if (!joinedSinceFetch) return;
      joinedSinceFetch = false;
      this.o.onMembership?.(true);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.o.onMembership?.(false);
      if (event.payload.restart || this.stopping || consumer !== this.current) return;
      this.o.logger.error(
        { err: event.payload.error?.message, groupId: event.payload.groupId },
        'consumer crashed without restarting; rebuilding it',
      );
      this.restarting ??= this.rebuild().finally(() => (this.restarting = undefined));
    });
    await consumer.connect();
    await consumer.subscribe(this.o.subscription);
    await consumer.run(this.o.run);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting?.catch(() => undefined);
    await this.current?.disconnect();
    this.o.onMembership?.(false);
  }

  private async rebuild(): Promise<void> {
    while (!this.stopping) {
      await this.current?.disconnect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, this.backoffMs));
      this.backoffMs = Math.min(this.backoffMs * 2, this.o.maxBackoffMs ?? 30_000);
      if (this.stopping) return;
      try {
        await this.start();
        return;
      } catch (error) {
        this.o.logger.warn({ err: (error as Error).message, retryInMs: this.backoffMs }, 'consumer could not be rebuilt yet');
      }
    }
  }
}
