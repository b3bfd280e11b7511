import { OUTBOX_INSERT, preparedQuery } from '@mm/platform';
import type { DataSource } from 'typeorm';
import type { BixiOutcome } from '../debits/bixi-outcome';
import type { OutgoingEvent } from '../debits/debit.repository';

/**
 * Outcomes, many per statement: each SUBMITTING row still claimed by its owner takes its outcome, and only those
 * rows get their result event in the outbox, in the same statement (so the same commit).
 */
const FINISH_BATCH_SQL = `
  with input as (
    select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                         $9::bigint[], $10::bigint[], $11::text[], $12::uuid[], $13::text[], $14::text[], $15::text[], $16::text[])
      as t(command_id, owner, state, bixi_transaction_id, bixi_reference_id, bixi_issuer, issuer_transaction_id, bixi_status,
           charges_minor, total_minor, reasons, event_id, topic, message_key, payload, headers)
  ), changed as (
    update debit_commands d
       set state = i.state, bixi_transaction_id = i.bixi_transaction_id, bixi_reference_id = i.bixi_reference_id,
           bixi_issuer = i.bixi_issuer, issuer_transaction_id = i.issuer_transaction_id, bixi_status = i.bixi_status,
           charges_minor = i.charges_minor, total_minor = i.total_minor, reasons = i.reasons::jsonb, updated_at = now()
      from input i
     where d.command_id = i.command_id and d.state = 'SUBMITTING' and d.claimed_by = i.owner
    returning d.command_id
  ), queued as (
    ${OUTBOX_INSERT}
    select i.event_id, i.topic, i.message_key, i.payload, i.headers::jsonb
      from input i join changed c on c.command_id = i.command_id order by i.event_id
    returning id
  )
  select command_id::text from changed`;

export interface PendingFinish {
  commandId: string;
  owner: string;
  o: BixiOutcome;
  result: OutgoingEvent;
}

/** Runs one batch of outcomes; returns the ids of the commands that took theirs (lower case). */
export async function finishBatch(dataSource: DataSource, batch: readonly PendingFinish[]): Promise<Set<string>> {
  const rows = batch.map((p) => ({ ...outcomeColumns(p.o), p }));
  const column = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  const changed = await preparedQuery<{ command_id: string }>(dataSource, 'debit_finish_batch', FINISH_BATCH_SQL, [
    column((r) => r.p.commandId),
    column((r) => r.p.owner),
    column((r) => r.state),
    column((r) => r.bixiTransactionId),
    column((r) => r.referenceId),
    column((r) => r.issuer),
    column((r) => r.issuerTransactionId),
    column((r) => r.bixiStatus),
    column((r) => r.chargesMinor),
    column((r) => r.totalMinor),
    column((r) => r.reasons),
    column((r) => r.p.result.event.id),
    column((r) => r.p.result.topic),
    column((r) => r.p.result.key),
    column((r) => r.p.result.value),
    column((r) => JSON.stringify(r.p.result.headers)),
  ]);
  return new Set(changed.map((r) => r.command_id));
}

/** An outcome as the columns of its row. */
export function outcomeColumns(o: BixiOutcome) {
  const approved = o.state === 'APPROVED' ? o.transaction : undefined;
  const answered = o.state === 'DECLINED' || o.state === 'UNKNOWN' ? o : undefined;
  const reasons = o.state === 'FAILED' ? o.reasons : o.state === 'APPROVED' ? null : [o.reason];
  return {
    state: o.state,
    bixiTransactionId: approved?.bixiTransactionId ?? answered?.bixiTransactionId ?? null,
    referenceId: approved?.referenceId ?? null,
    issuer: approved?.issuer ?? null,
    issuerTransactionId: approved?.issuerTransactionId ?? null,
    bixiStatus: approved?.bixiStatus ?? answered?.bixiStatus ?? null,
    chargesMinor: approved?.charges.amountMinor ?? null,
    totalMinor: approved?.total.amountMinor ?? null,
    reasons: reasons ? JSON.stringify(reasons) : null,
  };
}
