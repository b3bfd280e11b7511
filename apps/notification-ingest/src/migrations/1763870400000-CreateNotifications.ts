import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications (append-only, de-duplicated on MessageID and on providerId+transactionId) and their outbox. */
export class CreateNotifications1763870400000 implements MigrationInterface {
  name = 'CreateNotifications1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table notifications (
        id              uuid primary key,
        message_id      text not null,
        provider_id     text not null,
        customer_id     text not null,
        transaction_id  text not null,
        body_sha256     bytea not null,
        amount_minor    bigint not null check (amount_minor > 0),
        currency        char(3) not null,
        raw_body        bytea not null,
        response        jsonb not null,
        received_at     timestamptz not null default now(),
        constraint notifications_message_id_key unique (message_id),
        constraint notifications_provider_transaction_key unique (provider_id, transaction_id)
      )`);
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
    await q.query(`create index outbox_unsent_idx on outbox (id) where sent_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table outbox`);
    await q.query(`drop table notifications`);
  }
}
