import { createOperatorActionsTable, dropOperatorActionsTable } from '@mm/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's own state: operator accounts (scrypt password hashes), their sessions (only a hash of each session id
 * is stored), failed sign-ins (the rate limit and lockout) and the audit trail of sign-ins and sign-outs.
 */
export class CreateConsole1797000000000 implements MigrationInterface {
  name = 'CreateConsole1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table operators (
        username       text primary key check (username ~ '^[a-z][a-z0-9._-]{1,63}$'),
        roles          text[] not null check (cardinality(roles) >= 1 and roles <@ array['viewer', 'maker', 'checker']),
        password_hash  text not null check (password_hash like 'scrypt$%'),
        created_at     timestamptz not null default now()
      )`);
    await q.query(`
      create table sessions (
        id_hash     bytea primary key check (length(id_hash) = 32),
        username    text not null references operators (username),
        csrf_token  text not null check (length(csrf_token) = 43),
        created_at  timestamptz not null default now(),
        expires_at  timestamptz not null
      )`);
    await q.query(`create index sessions_expiry_idx on sessions (expires_at)`);
    await q.query(`
      create table login_failures (
        id          bigserial primary key,
        scope       text not null check (scope in ('username', 'address')),
        key         text not null check (length(key) between 1 and 128),
        failed_at   timestamptz not null default now()
      )`);
    await q.query(`create index login_failures_key_idx on login_failures (scope, key, failed_at desc)`);
    await createOperatorActionsTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOperatorActionsTable(q);
    await q.query(`drop table login_failures`);
    await q.query(`drop table sessions`);
    await q.query(`drop table operators`);
  }
}
