import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maker-checker proposals that settle UNKNOWN debits (SPEC §9): what the maker claims (DEBITED with Bixi's ids and
 * money, or NOT_DEBITED with the reason), their evidence, and the checker's decision. At most one open (PROPOSED)
 * proposal per command; nobody decides their own. A decided proposal is final: the trigger refuses any change to it,
 * and to what the maker proposed, whoever holds UPDATE.
 */
export class CreateResolutionProposals1796600000000 implements MigrationInterface {
  name = 'CreateResolutionProposals1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table resolution_proposals (
        proposal_id            uuid primary key,
        command_id             uuid not null references debit_commands (command_id),
        outcome                text not null check (outcome in ('DEBITED', 'NOT_DEBITED')),
        bixi_transaction_id    text check (length(bixi_transaction_id) between 1 and 128),
        bixi_reference_id      text check (length(bixi_reference_id) between 1 and 128),
        issuer_transaction_id  text check (length(issuer_transaction_id) between 1 and 128),
        bixi_issuer            text check (length(bixi_issuer) between 1 and 128),
        charges_minor          bigint check (charges_minor >= 0),
        total_minor            bigint check (total_minor >= 0),
        currency               char(3),
        reason                 text check (length(reason) between 1 and 1024),
        evidence               text not null check (length(evidence) between 1 and 2048),
        maker_id               text not null check (length(maker_id) between 1 and 128),
        state                  text not null default 'PROPOSED' check (state in ('PROPOSED', 'APPROVED', 'REJECTED')),
        checker_id             text check (length(checker_id) between 1 and 128),
        decision_reason        text check (length(decision_reason) <= 1024),
        created_at             timestamptz not null default now(),
        decided_at             timestamptz,
        constraint resolution_proposals_debited_check check (outcome <> 'DEBITED' or (bixi_transaction_id is not null
          and bixi_reference_id is not null and issuer_transaction_id is not null and charges_minor is not null
          and total_minor is not null and currency is not null and reason is null)),
        constraint resolution_proposals_not_debited_check check (outcome <> 'NOT_DEBITED' or (reason is not null
          and charges_minor is null and total_minor is null and currency is null)),
        constraint resolution_proposals_decision_check check ((state = 'PROPOSED') = (decided_at is null)
          and (state = 'PROPOSED') = (checker_id is null)),
        constraint resolution_proposals_four_eyes_check check (checker_id is null or checker_id <> maker_id)
      )`);
    await q.query(`create unique index resolution_proposals_open_idx on resolution_proposals (command_id) where state = 'PROPOSED'`);
    await q.query(`create index resolution_proposals_time_idx on resolution_proposals (created_at desc, proposal_id desc)`);
    await q.query(`create index resolution_proposals_command_idx on resolution_proposals (command_id, created_at desc)`);
    await q.query(`
      create function resolution_proposals_final() returns trigger language plpgsql as $$
      begin
        if old.state <> 'PROPOSED' then
          raise exception 'proposal % is % and cannot change', old.proposal_id, old.state using errcode = '23514';
        end if;
        if (new.proposal_id, new.command_id, new.outcome, new.bixi_transaction_id, new.bixi_reference_id, new.issuer_transaction_id,
            new.bixi_issuer, new.charges_minor, new.total_minor, new.currency, new.reason, new.evidence, new.maker_id, new.created_at)
           is distinct from
           (old.proposal_id, old.command_id, old.outcome, old.bixi_transaction_id, old.bixi_reference_id, old.issuer_transaction_id,
            old.bixi_issuer, old.charges_minor, old.total_minor, old.currency, old.reason, old.evidence, old.maker_id, old.created_at) then
          raise exception 'what a maker proposed cannot be changed, only decided' using errcode = '23514';
        end if;
        return new;
      end $$`);
    await q.query(`create trigger resolution_proposals_final before update on resolution_proposals
      for each row execute function resolution_proposals_final()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table resolution_proposals`);
    await q.query(`drop function resolution_proposals_final()`);
  }
}
