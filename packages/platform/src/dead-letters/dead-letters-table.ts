import type { QueryRunner } from 'typeorm';
import type { RuntimeGrants } from '../database-migration';

/**
 * The one definition of a service's `dead_letters` table (its inbox of refused messages), for the migrations of every
 * service with a consumer. A row is one message of the service's DLQ topic, stored once per DLQ position
 * (`dlq_topic, dlq_partition, dlq_offset`) whatever the inbox redelivers; key and value are the exact bytes, so a
 * replay republishes what was refused. `state` moves once, open → replayed, with who and when.
 */
export async function createDeadLettersTable(q: QueryRunner): Promise<void> {
  await q.query(`
    create table dead_letters (
      id                  bigserial primary key,
      dlq_topic           text not null,
      dlq_partition       integer not null,
      dlq_offset          bigint not null,
      original_topic      text,
      original_partition  integer,
      original_offset     bigint,
      message_key         bytea,
      headers             jsonb not null default '{}',
      value               bytea,
      reason              text not null,
      event_id            text,
      received_at         timestamptz not null default now(),
      state               text not null default 'open' check (state in ('open', 'replayed')),
      replayed_by         text,
      replayed_at         timestamptz,
      constraint dead_letters_position_key unique (dlq_topic, dlq_partition, dlq_offset),
      constraint dead_letters_replay_check check ((state = 'open') = (replayed_at is null and replayed_by is null))
    )`);
  await q.query(`create index dead_letters_time_idx on dead_letters (received_at desc, id desc)`);
  await q.query(`create index dead_letters_open_idx on dead_letters (received_at) where state = 'open'`);
}

export async function dropDeadLettersTable(q: QueryRunner): Promise<void> {
  await q.query(`drop table dead_letters`);
}

/** For a data source's runtime grants: letters are appended and marked replayed, never deleted. */
export const DEAD_LETTERS_RUNTIME_GRANTS = { dead_letters: ['select', 'insert', 'update'] } as const satisfies RuntimeGrants;
