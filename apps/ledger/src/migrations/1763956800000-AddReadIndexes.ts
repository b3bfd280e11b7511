import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the read API's filters and keyset pagination (newest first on `(time, id)`), and the ledger's
 * trigger functions pinned to the schema they were created in: they must find `postings` whatever search_path
 * the session that fires them happens to have.
 */
export class AddReadIndexes1763956800000 implements MigrationInterface {
  name = 'AddReadIndexes1763956800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter function ledger_check_balance() set search_path from current`);
    await q.query(`alter function ledger_forbid_change() set search_path from current`);
    await q.query(`drop index events_type_time_idx`);
    await q.query(`create index events_type_time_id_idx on events (type, time, id)`);
    await q.query(`create index events_time_id_idx on events (time, id)`);
    await q.query(
      `create index events_payment_provider_idx on events ((envelope->'data'->>'providerId'), time, id) where type = 'mm.payment.received.v1'`,
    );
    await q.query(
      `create index events_payment_customer_idx on events ((envelope->'data'->>'customerId'), time, id) where type = 'mm.payment.received.v1'`,
    );
    await q.query(`create index events_command_idx on events ((envelope->'data'->>'commandId'), time)`);
    await q.query(`create index postings_account_recent_idx on postings (account_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index postings_account_recent_idx`);
    await q.query(`drop index events_command_idx`);
    await q.query(`drop index events_payment_customer_idx`);
    await q.query(`drop index events_payment_provider_idx`);
    await q.query(`drop index events_time_id_idx`);
    await q.query(`drop index events_type_time_id_idx`);
    await q.query(`create index events_type_time_idx on events (type, time)`);
    await q.query(`alter function ledger_forbid_change() reset search_path`);
    await q.query(`alter function ledger_check_balance() reset search_path`);
  }
}
