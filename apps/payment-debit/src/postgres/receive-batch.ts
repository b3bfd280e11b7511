import { preparedQuery } from '@mm/platform';
import type { DataSource } from 'typeorm';
import type { DebitCommand, DebitState } from '../debits/debit-command';
import type { ReceiveResult } from '../debits/debit.repository';
import { idOf } from './debit-row';

/**
 * New commands from the consumer, many per statement: stored already claimed (SUBMITTING for `claimed_by`) when
 * nobody else can hold them yet, in command order so concurrent batches lock alike. A command that is already
 * stored inserts nothing and is classified from its row afterwards.
 */
const RECEIVE_BATCH_SQL = `
  with input as (
    select * from unnest($1::uuid[], $2::bytea[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                         $9::text[], $10::text[], $11::uuid[], $12::text[])
      as t(command_id, request_sha256, correlation_id, causation_id, account_number, account_type, amount_minor, currency,
           receipt_id, description, claimed_by, requester)
  )
  insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
    amount_minor, currency, receipt_id, description, state, claimed_by, submitted_at, attempts, requester)
  select command_id, request_sha256, correlation_id, causation_id, account_number, account_type, amount_minor, currency,
         receipt_id, description, case when claimed_by is null then 'RECEIVED' else 'SUBMITTING' end, claimed_by,
         case when claimed_by is null then null else now() end, case when claimed_by is null then 0 else 1 end, requester
    from input order by command_id
  on conflict (command_id) do nothing
  returning command_id::text`;

export interface PendingReceive {
  c: DebitCommand;
  fingerprint: Buffer;
  claimFor: string | null;
}

export async function receiveBatch(dataSource: DataSource, batch: readonly PendingReceive[]): Promise<ReceiveResult[]> {
  // One row per command id: a second copy of a command in the same batch is answered from the first.
  const firsts = new Map<string, PendingReceive>();
  for (const p of batch) if (!firsts.has(idOf(p.c.commandId))) firsts.set(idOf(p.c.commandId), p);
  const unique = [...firsts.values()];
  const column = <T>(pick: (p: PendingReceive) => T) => unique.map(pick);
  const inserted = await preparedQuery<{ command_id: string }>(dataSource, 'debit_receive_batch', RECEIVE_BATCH_SQL, [
    column((p) => p.c.commandId),
    column((p) => p.fingerprint),
    column((p) => p.c.correlationId),
    column((p) => p.c.causationId ?? null),
    column((p) => p.c.accountNumber),
    column((p) => p.c.accountType),
    column((p) => p.c.amount.amountMinor),
    column((p) => p.c.amount.currency),
    column((p) => p.c.receiptId),
    column((p) => p.c.description),
    column((p) => p.claimFor),
    column((p) => p.c.requestedBy ?? null),
  ]);
  const fresh = new Set(inserted.map((r) => r.command_id));
  const known = unique.filter((p) => !fresh.has(idOf(p.c.commandId))).map((p) => p.c.commandId);
  const stored = new Map<string, { state: DebitState; request_sha256: Buffer }>();
  if (known.length > 0) {
    const rows: { command_id: string; state: DebitState; request_sha256: Buffer }[] = await dataSource.query(
      `select command_id::text, state, request_sha256 from debit_commands where command_id = any($1::uuid[])`,
      [known],
    );
    for (const r of rows) stored.set(r.command_id, r);
  }
  return batch.map((p): ReceiveResult => {
    const id = idOf(p.c.commandId);
    const first = firsts.get(id)!;
    if (fresh.has(id)) {
      if (p === first) return { kind: 'new', claimed: p.claimFor !== null };
      return {
        kind: 'existing',
        state: first.claimFor !== null ? 'SUBMITTING' : 'RECEIVED',
        sameRequest: first.fingerprint.equals(p.fingerprint),
      };
    }
    const row = stored.get(id);
    if (!row) throw new Error('command conflicted on insert but is not stored');
    return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(p.fingerprint) };
  });
}
