import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only events and double-entry postings. Two database-level guarantees that application code
 * cannot bypass: events and postings reject UPDATE/DELETE, and a deferred constraint trigger refuses to
 * commit a journal entry whose postings do not sum to zero per currency.
 */
export class CreateLedger1763870400000 implements MigrationInterface {
  name = 'CreateLedger1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table events (
        id              text primary key,
        type            text not null,
        source          text not null,
        subject         text not null,
        time            timestamptz not null,
        correlation_id  text not null,
        causation_id    text,
        topic           text not null,
        kafka_partition integer not null,
        kafka_offset    bigint not null,
        envelope        jsonb not null,
        received_at     timestamptz not null default now()
      )`);
    await q.query(`create index events_type_time_idx on events (type, time)`);
    await q.query(`create index events_subject_idx on events (subject)`);
    await q.query(`create index events_received_idx on events (received_at, id)`);
    await q.query(`
      create table accounts (
        id          text primary key,
        created_at  timestamptz not null default now()
      )`);
    await q.query(`
      create table journal_entries (
        id          bigserial primary key,
        event_id    text not null unique references events (id),
        booked_at   timestamptz not null default now()
      )`);
    await q.query(`
      create table postings (
        id            bigserial primary key,
        entry_id      bigint not null references journal_entries (id),
        account_id    text not null references accounts (id),
        currency      char(3) not null,
        amount_minor  bigint not null check (amount_minor <> 0)
      )`);
    await q.query(`create index postings_account_idx on postings (account_id, currency, id)`);
    await q.query(`create index postings_entry_idx on postings (entry_id)`);
    await q.query(`
      create function ledger_forbid_change() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger table % is append-only', tg_table_name using errcode = '55000';
      end $$`);
    for (const table of ['events', 'journal_entries', 'postings']) {
      await q.query(`create trigger ${table}_append_only before update or delete on ${table}
                     for each row execute function ledger_forbid_change()`);
    }
    await q.query(`
      create function ledger_check_balance() returns trigger language plpgsql as $$
      declare unbalanced record;
      begin
        select currency, sum(amount_minor) as total into unbalanced
          from postings where entry_id = new.entry_id
          group by currency having sum(amount_minor) <> 0 limit 1;
        if found then
          raise exception 'journal entry % does not balance in %: %', new.entry_id, unbalanced.currency, unbalanced.total
            using errcode = '23514';
        end if;
        return null;
      end $$`);
    await q.query(`create constraint trigger postings_balanced after insert on postings
                   deferrable initially deferred for each row execute function ledger_check_balance()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table postings`);
    await q.query(`drop table journal_entries`);
    await q.query(`drop table accounts`);
    await q.query(`drop table events`);
    await q.query(`drop function ledger_check_balance()`);
    await q.query(`drop function ledger_forbid_change()`);
  }
}
