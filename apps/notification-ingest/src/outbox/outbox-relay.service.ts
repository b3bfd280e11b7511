import { ensureTopics } from '@mm/contracts';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { KAFKA } from '@mm/platform';
import { OUTBOX_CHANNEL } from './outbox.constants';
import { OutboxMetrics } from './outbox.metrics';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Publishes the outbox to Kafka, at least once, in id order per batch. Wakes on NOTIFY, polls as a fallback,
 * claims rows with FOR UPDATE SKIP LOCKED so several ingest instances can relay side by side, and marks rows
 * sent in the same transaction only after Kafka acknowledged them (acks=all, idempotent producer).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private producer: Producer;
  private listener?: Client;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private notified = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: OutboxMetrics,
  ) {
    // Bounded retries (kafkajs warns this weakens exactly-once): a send that gives up rolls the claim back and the
    // rows are sent again later, so delivery is at-least-once and consumers de-duplicate by event id.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5 },
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Publishes one claimed batch; returns how many rows it published. */
  async drainOnce(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: OutboxRow[] = await runner.query(
        `select id, topic, message_key, payload, headers from outbox
          where sent_at is null order by id limit $1 for update skip locked`,
        [this.config.OUTBOX_BATCH_SIZE],
      );
      if (rows.length > 0) {
        const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
        for (const r of rows) {
          const list = byTopic.get(r.topic) ?? byTopic.set(r.topic, []).get(r.topic)!;
          list.push({ key: r.message_key, value: r.payload, headers: r.headers });
        }
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        await runner.query(`update outbox set sent_at = now() where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
      }
      await runner.commitTransaction();
      this.metrics.published.inc(rows.length);
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
          await this.ensureTopics();
          connected = true;
        }
        await this.ensureListener();
        const published = await this.drainOnce();
        backoff = 100;
        if (published < this.config.OUTBOX_BATCH_SIZE) await this.sleep(this.config.OUTBOX_POLL_MS);
      } catch (error) {
        this.metrics.publishFailures.inc();
        this.logger.warn({ err: (error as Error).message, retryInMs: backoff }, 'outbox relay could not publish; will retry');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    // Final drain on shutdown: publish what was accepted while Kafka is reachable, bounded in time.
    const deadline = Date.now() + 5000;
    try {
      while (Date.now() < deadline && (await this.drainOnce()) > 0);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'final outbox drain incomplete; rows stay for the next start');
    }
  }

  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private async ensureListener(): Promise<void> {
    if (this.listener) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, connectionTimeoutMillis: 2000 });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('error', () => {
      // Fall back to polling until the next loop turn reconnects.
      this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
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
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
