import { createOperatorActionsTable, dropOperatorActionsTable } from '@mm/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The operators' audit trail (who, when, what, why) of the actions this service takes for them (SPEC §9). */
export class CreateOperatorActions1796500000000 implements MigrationInterface {
  name = 'CreateOperatorActions1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await createOperatorActionsTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOperatorActionsTable(q);
  }
}
