import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MessageID is the provider's id of a message, so it is unique per credential (`customer_id`), not across all of
 * them: otherwise one provider could block another's notification with a 409 by using its MessageID first.
 * `down` fails if two customers have since used the same MessageID (restoring global uniqueness would lose one).
 */
export class ScopeMessageIdToCustomer1796220000000 implements MigrationInterface {
  name = 'ScopeMessageIdToCustomer1796220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table notifications add constraint notifications_customer_message_id_key unique (customer_id, message_id)`);
    await q.query(`alter table notifications drop constraint notifications_message_id_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table notifications add constraint notifications_message_id_key unique (message_id)`);
    await q.query(`alter table notifications drop constraint notifications_customer_message_id_key`);
  }
}
