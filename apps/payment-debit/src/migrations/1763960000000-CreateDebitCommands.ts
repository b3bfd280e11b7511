import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per debit command (commandId is the idempotency key) carrying its state machine, and the outbox its
 * results leave through. The state only moves forward: RECEIVED → SUBMITTING → APPROVED | DECLINED | FAILED | UNKNOWN
 * (and SUBMITTING → RECEIVED only when the request provably never left).
 */
export class CreateDebitCommands1763960000000 implements MigrationInterface {
  name = 'CreateDebitCommands1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table debit_commands (
        command_id             uuid primary key,
        request_sha256         bytea not null,
        correlation_id         text not null,
        causation_id           text,
        account_number         text not null,
        account_type           text not null,
        amount_minor           bigint,
        currency               char(3),
        receipt_id             text not null,
        description            text not null,
        state                  text not null check (state in ('RECEIVED', 'SUBMITTING', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN')),
        attempts               integer not null default 0,
        claimed_by             uuid,
        submitted_at           timestamptz,
        bixi_transaction_id    text,
        bixi_reference_id      text,
        bixi_issuer            text,
        issuer_transaction_id  text,
        bixi_status            text,
        charges_minor          bigint,
        total_minor            bigint,
        reasons                jsonb,
        created_at             timestamptz not null default now(),
        updated_at             timestamptz not null default now()
      )`);
    await q.query(`create index debit_commands_state_idx on debit_commands (state, command_id)`);
    await q.query(`create index debit_commands_submitting_idx on debit_commands (submitted_at) where state = 'SUBMITTING'`);
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
    await q.query(`drop table debit_commands`);
  }
}
