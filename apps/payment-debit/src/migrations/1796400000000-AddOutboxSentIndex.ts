import { createOutboxSentIndex, dropOutboxSentIndex } from '@mm/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** payment-debit's outbox is now purged after its retention: housekeeping finds published rows by this index. */
export class AddOutboxSentIndex1796400000000 implements MigrationInterface {
  name = 'AddOutboxSentIndex1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxSentIndex(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOutboxSentIndex(q);
  }
}
