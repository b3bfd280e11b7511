import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['events', 'journal_entries', 'postings'];

/**
 * The balance check moves from a deferred per-row constraint trigger (one query per posting at commit: about
 * half of the consumer's database time when catching up) to one per-statement trigger over the inserted rows.
 * The rule it enforces: the postings of one INSERT statement sum to zero per entry and currency. Postings can
 * never be updated or deleted, so by induction every journal entry always balances per currency.
 * TRUNCATE, which row triggers do not see, is now refused on the append-only tables too.
 */
export class StatementLevelBalanceCheck1763960400000 implements MigrationInterface {
  name = 'StatementLevelBalanceCheck1763960400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create function ledger_check_statement_balance() returns trigger language plpgsql set search_path from current as $$
      declare unbalanced record;
      begin
        select entry_id, currency, sum(amount_minor) as total into unbalanced
          from new_postings group by entry_id, currency having sum(amount_minor) <> 0 limit 1;
        if found then
          raise exception 'journal entry % does not balance in %: %', unbalanced.entry_id, unbalanced.currency, unbalanced.total
            using errcode = '23514';
        end if;
        return null;
      end $$`);
    await q.query(`drop trigger postings_balanced on postings`);
    await q.query(`create trigger postings_balanced after insert on postings referencing new table as new_postings
                   for each statement execute function ledger_check_statement_balance()`);
    for (const table of TABLES) {
      await q.query(
        `create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function ledger_forbid_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`drop trigger ${table}_no_truncate on ${table}`);
    await q.query(`drop trigger postings_balanced on postings`);
    await q.query(`drop function ledger_check_statement_balance()`);
    await q.query(`create constraint trigger postings_balanced after insert on postings
                   deferrable initially deferred for each row execute function ledger_check_balance()`);
  }
}
