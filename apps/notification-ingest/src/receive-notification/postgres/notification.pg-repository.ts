import { type PaymentReceivedEvent, Topics, toKafkaMessage } from '@mm/contracts';
import { BatchWriter, OUTBOX_INSERT, OutboxNotifier, preparedQuery } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../../config';
import { IngestMetrics } from '../../ingest.metrics';

import { classifyRepeat, type StoredNotification } from '../classify-repeat';
import type { AcceptOutcome, NewNotification, NotificationRepository } from '../notification.repository';

interface Pending {
  n: NewNotification;
  event: PaymentReceivedEvent;
  key: string;
}

/**
 * One statement per batch, so one round trip and one commit for many requests: insert the notifications (unique on
 * (customerId, MessageID) and on (providerId, transactionId)); only the new ones get an outbox row, and once they are committed
 * the relay gets a NOTIFY (OutboxNotifier: outside this transaction, so concurrent batches commit together). A twin in the same batch or in a concurrent one
 * inserts nothing — ON CONFLICT waits for the first to commit — and is then classified against the stored row.
 * Rows go in MessageID order so concurrent batches of twins lock alike; a deadlock that still happens (twins
 * by transactionId) fails the batch, and BatchWriter then writes its items one by one.
 */
const ACCEPT_BATCH_SQL = `
  with input as (
    select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::bigint[], $8::text[],
                         $9::bytea[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::text[])
      as t(id, message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency,
           raw_body, response, event_id, message_key, payload, headers)
  ), n as (
    insert into notifications
      (id, message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, raw_body, response)
    select id, message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, raw_body, response::jsonb
      from input order by message_id
    on conflict do nothing
    returning id
  ), o as (
    ${OUTBOX_INSERT}
    select i.event_id, $15, i.message_key, i.payload, i.headers::jsonb from input i join n on n.id = i.id order by i.id
    returning event_id
  )
  select event_id from o`;

@Injectable()
export class PgNotificationRepository implements NotificationRepository {
  private readonly writer: BatchWriter<Pending, AcceptOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(INGEST_CONFIG) config: IngestConfig,
    private readonly metrics: IngestMetrics,
    private readonly notifier: OutboxNotifier,
  ) {
    this.writer = new BatchWriter(
      (batch) => this.write(batch),
      config.INGEST_BATCH_MAX,
      config.INGEST_BATCH_CONCURRENCY,
      config.INGEST_QUEUE_MAX,
    );
  }

  /** Rejects with QueueFullError, having stored nothing, when INGEST_QUEUE_MAX notifications already wait. */
  accept(n: NewNotification, event: PaymentReceivedEvent, key: string): Promise<AcceptOutcome> {
    const outcome = this.writer.submit({ n, event, key });
    this.metrics.queueDepth.set(this.writer.queued);
    return outcome;
  }

  private async write(batch: readonly Pending[]): Promise<AcceptOutcome[]> {
    this.metrics.batchSize.observe(batch.length);
    this.metrics.queueDepth.set(this.writer.queued);
    const column = <T>(pick: (p: Pending) => T) => batch.map(pick);
    const messages = batch.map((p) => toKafkaMessage(p.event, p.key));
    const inserted = await preparedQuery<{ event_id: string }>(this.dataSource, 'ingest_accept_batch', ACCEPT_BATCH_SQL, [
      column((p) => p.n.id),
      column((p) => p.n.messageId),
      column((p) => p.n.providerId),
      column((p) => p.n.customerId),
      column((p) => p.n.transactionId),
      column((p) => p.n.bodySha256),
      column((p) => p.n.amountMinor),
      column((p) => p.n.currency),
      column((p) => p.n.rawBody),
      column((p) => JSON.stringify(p.n.response)),
      column((p) => p.event.id),
      column((p) => p.key),
      messages.map((m) => m.value as string),
      messages.map((m) => JSON.stringify(m.headers)),
      Topics.PaymentReceived,
    ]);
    if (inserted.length > 0) this.notifier.notify();
    const accepted = new Set(inserted.map((r) => r.event_id));
    const repeats = batch.filter((p) => !accepted.has(p.event.id));
    const stored: StoredNotification[] =
      repeats.length === 0
        ? []
        : await this.dataSource.query(
            `select message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, response
         from notifications
        where (customer_id, message_id) in (select * from unnest($1::text[], $2::text[]))
           or (provider_id, transaction_id) in (select * from unnest($3::text[], $4::text[]))`,
            [
              repeats.map((p) => p.n.customerId),
              repeats.map((p) => p.n.messageId),
              repeats.map((p) => p.n.providerId),
              repeats.map((p) => p.n.transactionId),
            ],
          );
    return batch.map((p) => (accepted.has(p.event.id) ? { kind: 'accepted', response: p.n.response } : classifyRepeat(p.n, stored)));
  }
}
