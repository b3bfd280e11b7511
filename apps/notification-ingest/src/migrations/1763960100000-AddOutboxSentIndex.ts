import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets outbox housekeeping find published rows past their retention without scanning the table. */
export class AddOutboxSentIndex1763960100000 implements MigrationInterface {
  name = 'AddOutboxSentIndex1763960100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index outbox_sent_at_idx on outbox (sent_at) where sent_at is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index outbox_sent_at_idx`);
  }
}
