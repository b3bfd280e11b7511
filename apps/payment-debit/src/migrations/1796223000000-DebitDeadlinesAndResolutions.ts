import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATES_BEFORE = `'RECEIVED', 'SUBMITTING', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN'`;

/**
 * EXPIRED: a command past its deadline when it was about to be sent (Bixi never called), with the deadline it
 * missed. An UNKNOWN command settled later moves on to its real outcome and says how (`resolution_source`:
 * late-answer, statement, operator) and when.
 */
export class DebitDeadlinesAndResolutions1796223000000 implements MigrationInterface {
  name = 'DebitDeadlinesAndResolutions1796223000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table debit_commands drop constraint debit_commands_state_check`);
    await q.query(`alter table debit_commands add constraint debit_commands_state_check check (state in (${STATES_BEFORE}, 'EXPIRED'))`);
    await q.query(`alter table debit_commands add column deadline timestamptz`);
    await q.query(
      `alter table debit_commands add column resolution_source text check (resolution_source in ('late-answer', 'statement', 'operator'))`,
    );
    await q.query(`alter table debit_commands add column resolved_at timestamptz`);
  }

  /** Refused while EXPIRED rows exist: the older schema has no state for them. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table debit_commands drop column resolved_at`);
    await q.query(`alter table debit_commands drop column resolution_source`);
    await q.query(`alter table debit_commands drop column deadline`);
    await q.query(`alter table debit_commands drop constraint debit_commands_state_check`);
    await q.query(`alter table debit_commands add constraint debit_commands_state_check check (state in (${STATES_BEFORE}))`);
  }
}
