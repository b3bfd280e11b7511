import { TopicNamespace } from '@mm/contracts';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Relays the `outbox` table of the service's schema (see outbox-table.ts for its shape). */
export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  /** A separate connection LISTENs on `channel`, so the relay wakes when a writer notifies it after its commit. */
  databaseUrl: string;
  /** The service's NOTIFY channel (OutboxNotifier notifies it after each commit that added rows). */
  channel: string;
  batchSize: number;
  pollMs: number;
  /**
   * After a wake-up, wait this long before claiming (like Kafka's linger.ms): under steady traffic one drain then
   * carries the rows of many requests instead of one round of claim, publish and mark per commit. Default 5 ms.
   */
  lingerMs?: number;
  /** Rows hold logical topics; the relay publishes to their names in this environment. */
  namespace?: TopicNamespace;
  /** Runs once the producer is connected (e.g. create the topics). */
  prepare?: (kafka: Kafka) => Promise<void>;
  onPublished?: (count: number) => void;
  onFailure?: (error: Error, retryInMs: number) => void;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Publishes a service's outbox to Kafka, at least once, in id order per batch. Wakes on NOTIFY, polls as a
 * fallback, claims rows with FOR UPDATE SKIP LOCKED so several instances can relay side by side, and marks rows
 * sent in the same transaction only after Kafka acknowledged them (acks=all, idempotent producer).
 */
export class OutboxRelay {
  private readonly producer: Producer;
  private listener?: Client;
  private running = false;
  private loop?: Promise<void>;
  private wakeSleeper?: () => void;
  private notified = false;

  /** Rows hold logical topics; resolved once, not per drain. */
  private readonly namespace: TopicNamespace;

  constructor(private readonly o: OutboxRelayOptions) {
    this.namespace = o.namespace ?? new TopicNamespace();
    // Bounded retries (kafkajs warns this weakens exactly-once): a send that gives up rolls the claim back and the
    // rows are sent again later, so delivery is at-least-once and consumers de-duplicate by event id.
    this.producer = o.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5 },
    });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSleeper?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Wakes the relay as a NOTIFY would: it drains now, or once more right after the drain in progress. */
  wake(): void {
    this.notified = true;
    this.wakeSleeper?.();
  }

  /** Publishes one claimed batch; returns how many rows it published. */
  async drainOnce(): Promise<number> {
    const runner = this.o.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: OutboxRow[] = await runner.query(
        `select id, topic, message_key, payload, headers from outbox
          where sent_at is null order by id limit $1 for update skip locked`,
        [this.o.batchSize],
      );
      if (rows.length > 0) {
        const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
        for (const r of rows) {
          const list = byTopic.get(r.topic) ?? byTopic.set(r.topic, []).get(r.topic)!;
          list.push({ key: r.message_key, value: r.payload, headers: r.headers });
        }
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: this.namespace.topic(topic), messages })),
        });
        await runner.query(`update outbox set sent_at = now() where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
      }
      await runner.commitTransaction();
      this.o.onPublished?.(rows.length);
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async run(): Promise<void> {
    let backoff = 100;
    let connected = false;
    while (this.running) {
      try {
        if (!connected) {
          await this.producer.connect();
          await this.o.prepare?.(this.o.kafka);
          connected = true;
        }
        await this.ensureListener();
        const published = await this.drainOnce();
        backoff = 100;
        if (published < this.o.batchSize) {
          await this.sleep(this.o.pollMs);
          if (this.running) await new Promise((resolve) => setTimeout(resolve, this.o.lingerMs ?? 5));
        }
      } catch (error) {
        this.o.onFailure?.(error as Error, backoff);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    // Final drain on shutdown: publish what was accepted while Kafka is reachable, bounded in time.
    const deadline = Date.now() + 5000;
    try {
      while (Date.now() < deadline && (await this.drainOnce()) > 0);
    } catch (error) {
      this.o.onFailure?.(error as Error, 0);
    }
  }

  private async ensureListener(): Promise<void> {
    if (this.listener) return;
    const client = new Client({ connectionString: this.o.databaseUrl, connectionTimeoutMillis: 2000 });
    client.on('notification', () => {
      this.notified = true;
      this.wakeSleeper?.();
    });
    client.on('error', () => {
      // Fall back to polling until the next loop turn reconnects.
      this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    await client.connect();
    await client.query(`listen ${client.escapeIdentifier(this.o.channel)}`);
    this.listener = client;
  }

  /** Waits for a NOTIFY (or one that arrived while publishing), shutdown, or the poll interval. */
  private sleep(ms: number): Promise<void> {
    if (this.notified || !this.running) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }
}
