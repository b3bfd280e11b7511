import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Debit limits (SPEC §9): each command keeps its requester (`requestedBy` of the command; null for the unnamed
 * requester), and the rolling-window counts per account and per requester read these two indexes (key, then
 * `created_at` for the window). No existing index starts with either column.
 */
export class AddDebitRequester1796650000000 implements MigrationInterface {
  name = 'AddDebitRequester1796650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table debit_commands add column requester text check (char_length(requester) between 1 and 128)`);
    await q.query(`create index debit_commands_account_window_idx on debit_commands (account_number, created_at)`);
    await q.query(`create index debit_commands_requester_window_idx on debit_commands (requester, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index debit_commands_requester_window_idx`);
    await q.query(`drop index debit_commands_account_window_idx`);
    await q.query(`alter table debit_commands drop column requester`);
  }
}
