import { createDeadLettersTable, dropDeadLettersTable } from '@mm/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox of messages this service's consumer refused (its DLQ topic), for operators to inspect and replay. */
export class CreateDeadLetters1796850000000 implements MigrationInterface {
  name = 'CreateDeadLetters1796850000000';

  async up(q: QueryRunner): Promise<void> {
    await createDeadLettersTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropDeadLettersTable(q);
  }
}
