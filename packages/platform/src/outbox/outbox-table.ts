import type { QueryRunner } from 'typeorm';

/**
 * The one definition of the `outbox` table, for the migrations of every service that has an outbox (in the
 * service's own schema, found through its search_path).
 *
 * - `id` orders the relay's claims, so events leave in the order their transactions wrote them;
 * - `event_id` is unique: one row per event, whatever a retried transaction does;
 * - `topic` is the logical topic (the relay adds this environment's prefix), `message_key` the Kafka key,
 *   `payload` the CloudEvent JSON as published, `headers` its Kafka headers;
 * - `sent_at` is set by the relay once Kafka acknowledged the row; housekeeping deletes sent rows past retention.
 *
 * Migrations are never edited after they land: ingest's and payment-debit's first migrations spelled this table
 * out (the same shape), and later migrations add what changed through the helpers below.
 */
export async function createOutboxTable(q: QueryRunner): Promise<void> {
  await q.query(`
    create table outbox (
      id           bigserial primary key,
      event_id     uuid not null unique,
      topic        text not null,
      message_key  text not null,
      payload      text not null,
      headers      jsonb not null,
      created_at   timestamptz not null default now(),
      sent_at      timestamptz
    )`);
  // The relay's claim reads only unsent rows, in id order.
  await q.query(`create index outbox_unsent_idx on outbox (id) where sent_at is null`);
  await createOutboxSentIndex(q);
}

export async function dropOutboxTable(q: QueryRunner): Promise<void> {
  await q.query(`drop table outbox`);
}

/** Lets housekeeping find published rows past their retention without scanning the table. */
export async function createOutboxSentIndex(q: QueryRunner): Promise<void> {
  await q.query(`create index outbox_sent_at_idx on outbox (sent_at) where sent_at is not null`);
}

export async function dropOutboxSentIndex(q: QueryRunner): Promise<void> {
  await q.query(`drop index outbox_sent_at_idx`);
}
