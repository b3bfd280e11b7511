import { createOutboxTable, dropOutboxTable } from '@mm/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections (SPEC §9): the maker-checker proposals, the ledger's own outbox (approved corrections leave through it
 * as `mm.ledger.correction-approved.v1`) and an index to sum the corrections already booked against one original.
 * A proposal is decided once: PROPOSED moves to APPROVED or REJECTED, with its checker, and never back.
 */
export class CreateCorrections1796600000000 implements MigrationInterface {
  name = 'CreateCorrections1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table correction_proposals (
        id                 uuid primary key,
        original_event_id  text not null references events (id),
        original_type      text not null,
        amount_minor       bigint not null check (amount_minor > 0),
        currency           char(3) not null,
        reason             text not null check (length(reason) between 1 and 1024),
        maker_id           text not null check (length(maker_id) between 1 and 128),
        state              text not null default 'PROPOSED' check (state in ('PROPOSED', 'APPROVED', 'REJECTED')),
        checker_id         text check (length(checker_id) between 1 and 128),
        decided_reason     text check (length(decided_reason) <= 1024),
        decided_at         timestamptz,
        correction_id      uuid unique,
        proposed_at        timestamptz not null default now(),
        check (checker_id is null or checker_id <> maker_id),
        check ((state = 'PROPOSED') = (decided_at is null) and (state = 'PROPOSED') = (checker_id is null)),
        check ((state = 'APPROVED') = (correction_id is not null))
      )`);
    await q.query(`create index correction_proposals_original_idx on correction_proposals (original_event_id) where state = 'APPROVED'`);
    await q.query(`create index correction_proposals_list_idx on correction_proposals (proposed_at desc, id desc)`);
    await q.query(`create index correction_proposals_state_idx on correction_proposals (state, proposed_at desc, id desc)`);
    // A decided proposal never changes again, and none is ever deleted (the runtime role has no DELETE either).
    await q.query(`
      create function correction_decided_once() returns trigger language plpgsql as $$
      begin
        if old.state <> 'PROPOSED' or new.id <> old.id or new.original_event_id <> old.original_event_id
           or new.amount_minor <> old.amount_minor or new.currency <> old.currency or new.maker_id <> old.maker_id
           or new.reason <> old.reason then
          raise exception 'correction proposal % is already decided or its terms would change', old.id using errcode = '55000';
        end if;
        return new;
      end $$`);
    await q.query(`create trigger correction_proposals_decided_once before update on correction_proposals
                   for each row execute function correction_decided_once()`);
    await q.query(`create index events_correction_original_idx on events ((envelope->'data'->>'originalEventId'))
                   where type = 'mm.ledger.correction-approved.v1'`);
    await createOutboxTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOutboxTable(q);
    await q.query(`drop index events_correction_original_idx`);
    await q.query(`drop table correction_proposals`);
    await q.query(`drop function correction_decided_once()`);
  }
}
