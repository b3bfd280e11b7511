import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Providers' settlement statements and the breaks found matching them with the payments in the books (SPEC §9).
 * Every table is append-only for the runtime role (select and insert): a statement is known by the SHA-256 of its
 * bytes, a line by (providerId, transactionId), a break by its type and key; closing a break appends its closure. The
 * references to a statement are checked at commit: an import writes its lines and breaks, then the statement with its result.
 */
export class CreateProviderStatements1796700000000 implements MigrationInterface {
  name = 'CreateProviderStatements1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table provider_statements (
        id            uuid primary key,
        content_hash  text not null unique check (content_hash ~ '^[0-9a-f]{64}$'),
        format        text not null check (format in ('csv', 'ndjson')),
        result        jsonb not null,
        imported_by   text not null,
        imported_at   timestamptz not null default now()
      )`);
    await q.query(`
      create table provider_statement_lines (
        id              bigserial primary key,
        statement_id    uuid not null references provider_statements (id) deferrable initially deferred,
        line_no         integer not null check (line_no > 0),
        provider_id     text not null,
        transaction_id  text not null,
        amount_minor    bigint not null check (amount_minor > 0),
        currency        text not null,
        msisdn          text not null,
        time            timestamptz not null,
        row             jsonb not null,
        unique (provider_id, transaction_id)
      )`);
    await q.query(`create index provider_statement_lines_statement_idx on provider_statement_lines (statement_id, line_no)`);
    await q.query(`
      create table provider_breaks (
        id              uuid primary key,
        type            text not null check (type in ('MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS')),
        break_key       text not null,
        statement_id    uuid references provider_statements (id) deferrable initially deferred,
        statement_rows  jsonb not null,
        book_rows       jsonb not null,
        detail          text not null,
        created_at      timestamptz not null default now(),
        unique (type, break_key)
      )`);
    await q.query(`create index provider_breaks_recent_idx on provider_breaks (created_at desc, id desc)`);
    await q.query(`
      create table provider_break_closures (
        break_id   uuid primary key references provider_breaks (id),
        closed_by  text not null check (length(closed_by) between 1 and 128),
        reason     text not null check (length(reason) between 3 and 1024),
        closed_at  timestamptz not null default now()
      )`);
    // Matching looks payments up by their provider's transaction id.
    await q.query(
      `create index events_payment_transaction_idx on events ((envelope->'data'->>'providerId'), (envelope->'data'->>'transactionId'))
        where type = 'mm.payment.received.v1'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index events_payment_transaction_idx`);
    await q.query(`drop table provider_break_closures`);
    await q.query(`drop table provider_breaks`);
    await q.query(`drop table provider_statement_lines`);
    await q.query(`drop table provider_statements`);
  }
}
