import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bixi statements (SPEC §9): a statement is stored once (its content hash is unique) with the answer its import gave;
 * each line once (its key is the Bixi transaction id), whichever statement brought it; the breaks matching found,
 * each with both sides' rows, open until an operator closes it with a reason. `break_key` keeps a break found again
 * by a later, overlapping statement from being stored twice. The references to the statement are checked at commit: an
 * import stores the statement row last, with the answer it computed. Debit commands are looked up by receipt (matching) and
 * approved ones by submission time (what a day's statement should list).
 */
export class CreateStatements1796700000000 implements MigrationInterface {
  name = 'CreateStatements1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table statements (
        statement_id    uuid primary key,
        source          text not null check (source in ('bixi')),
        content_sha256  bytea not null unique check (length(content_sha256) = 32),
        line_count      integer not null check (line_count >= 0),
        result          jsonb not null,
        imported_by     text not null,
        imported_at     timestamptz not null default now()
      )`);
    await q.query(`
      create table statement_lines (
        line_key        text primary key check (length(line_key) between 1 and 256),
        statement_id    uuid not null references statements (statement_id) deferrable initially deferred,
        line_no         integer not null,
        receipt_id      text not null,
        account_number  text not null,
        status          text not null,
        currency        char(3) not null,
        amount_minor    bigint not null check (amount_minor > 0),
        charges_minor   bigint not null check (charges_minor >= 0),
        total_minor     bigint not null check (total_minor >= 0),
        created         timestamptz not null,
        columns         jsonb not null,
        stored_at       timestamptz not null default now()
      )`);
    await q.query(`create index statement_lines_statement_idx on statement_lines (statement_id, line_no)`);
    await q.query(`
      create table breaks (
        break_id        uuid primary key,
        break_key       text not null unique,
        type            text not null check (type in ('MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS')),
        status          text not null default 'OPEN' check (status in ('OPEN', 'CLOSED')),
        statement_id    uuid references statements (statement_id) deferrable initially deferred,
        statement_rows  jsonb not null,
        book_rows       jsonb not null,
        detail          text not null,
        created_at      timestamptz not null default now(),
        closed_by       text,
        closed_at       timestamptz,
        close_reason    text check (length(close_reason) <= 1024),
        check ((status = 'OPEN') = (closed_at is null) and (closed_at is null) = (closed_by is null) and (closed_by is null) = (close_reason is null))
      )`);
    await q.query(`create index breaks_list_idx on breaks (status, type, break_id desc)`);
    await q.query(`create index breaks_statement_idx on breaks (statement_id, break_id desc)`);
    await q.query(`create index debit_commands_receipt_idx on debit_commands (receipt_id)`);
    await q.query(`create index debit_commands_approved_idx on debit_commands (submitted_at) where state = 'APPROVED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index debit_commands_approved_idx`);
    await q.query(`drop index debit_commands_receipt_idx`);
    await q.query(`drop table breaks`);
    await q.query(`drop table statement_lines`);
    await q.query(`drop table statements`);
  }
}
