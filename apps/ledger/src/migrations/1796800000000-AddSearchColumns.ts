import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The search keys as stored generated columns: the column, the event payload field it is taken from. */
const KEYS = [
  ['provider_id', 'providerId'],
  ['customer_id', 'customerId'],
  ['msisdn', 'subscriberMsisdn'],
  ['transaction_id', 'transactionId'],
  ['command_id', 'commandId'],
  ['account_number', 'accountNumber'],
] as const;

/**
 * The read API's search keys as real columns, each with a btree index on `(key, time, id)` (the newest-first order of
 * the lists), instead of jsonb expression indexes. The columns are generated from the stored envelope, so the writers
 * and the append-only guarantee stay as they are; the partial indexes skip the events that lack the key. All columns
 * are added by one statement, so the table is rewritten once.
 */
export class AddSearchColumns1796800000000 implements MigrationInterface {
  name = 'AddSearchColumns1796800000000';

  async up(q: QueryRunner): Promise<void> {
    const columns = KEYS.map(([c, f]) => `add column ${c} text generated always as (envelope->'data'->>'${f}') stored`);
    await q.query(`alter table events ${columns.join(', ')}`);
    for (const [c] of KEYS) await q.query(`create index events_${c}_idx on events (${c}, time, id) where ${c} is not null`);
    await q.query(`drop index events_payment_provider_idx`);
    await q.query(`drop index events_payment_customer_idx`);
    await q.query(`drop index events_command_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `create index events_payment_provider_idx on events ((envelope->'data'->>'providerId'), time, id) where type = 'mm.payment.received.v1'`,
    );
    await q.query(
      `create index events_payment_customer_idx on events ((envelope->'data'->>'customerId'), time, id) where type = 'mm.payment.received.v1'`,
    );
    await q.query(`create index events_command_idx on events ((envelope->'data'->>'commandId'), time)`);
    for (const [c] of KEYS) await q.query(`drop index events_${c}_idx`);
    await q.query(`alter table events ${KEYS.map(([c]) => `drop column ${c}`).join(', ')}`);
  }
}
