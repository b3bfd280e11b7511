import { BatchWriter, enqueueOutbox, OUTBOX_INSERT, OutboxNotifier, preparedQuery } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BixiOutcome, SettledOutcome } from '../bixi/bixi-outcome';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import type { DebitCommand, DebitState } from './debit-command';
import type { DebitRepository, ExpireResult, InvalidCommand, OutgoingEvent, ReceiveResult, StoredDebit } from './debit.repository';
import { toStoredDebit, type DebitRow } from './debit-row';

const COLUMNS = `command_id, state, account_number, account_type, amount_minor, currency, receipt_id, description, correlation_id,
  causation_id, attempts, bixi_transaction_id, bixi_reference_id, bixi_issuer, issuer_transaction_id, bixi_status,
  charges_minor, total_minor, reasons, created_at, updated_at`;

/**
 * New commands from the consumer, many per statement: stored already claimed (SUBMITTING for `claimed_by`) when
 * nobody else can hold them yet, in command order so concurrent batches lock alike. A command that is already
 * stored inserts nothing and is classified from its row afterwards.
 */
const RECEIVE_BATCH_SQL = `
  with input as (
    select * from unnest($1::uuid[], $2::bytea[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                         $9::text[], $10::text[], $11::uuid[])
      as t(command_id, request_sha256, correlation_id, causation_id, account_number, account_type, amount_minor, currency,
           receipt_id, description, claimed_by)
  )
  insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
    amount_minor, currency, receipt_id, description, state, claimed_by, submitted_at, attempts)
  select command_id, request_sha256, correlation_id, causation_id, account_number, account_type, amount_minor, currency,
         receipt_id, description, case when claimed_by is null then 'RECEIVED' else 'SUBMITTING' end, claimed_by,
         case when claimed_by is null then null else now() end, case when claimed_by is null then 0 else 1 end
    from input order by command_id
  on conflict (command_id) do nothing
  returning command_id::text`;

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

interface PendingReceive {
  c: DebitCommand;
  fingerprint: Buffer;
  claimFor: string | null;
}

interface PendingFinish {
  commandId: string;
  owner: string;
  o: BixiOutcome;
  result: OutgoingEvent;
}

const idOf = (commandId: string) => commandId.toLowerCase();

/** At most `DEBIT_BATCH_MAX` commands per statement, `DEBIT_BATCH_CONCURRENCY` statements in flight before requests queue. */
export type DebitBatching = Pick<DebitConfig, 'DEBIT_BATCH_MAX' | 'DEBIT_BATCH_CONCURRENCY'>;

/**
 * Raw parameterised SQL: each conditional UPDATE is the lock that keeps one command to one Bixi call. The hot
 * statements (a command arriving, its outcome) are micro-batched across the commands in flight (BatchWriter) and
 * run as prepared statements, like ingest's batch insert: each command still gets its own answer, and a failed
 * batch is retried command by command.
 */
@Injectable()
export class PgDebitRepository implements DebitRepository {
  private readonly receiver: BatchWriter<PendingReceive, ReceiveResult>;
  private readonly finisher: BatchWriter<PendingFinish, boolean>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
    @Inject(DEBIT_CONFIG) batching: DebitBatching,
  ) {
    this.receiver = new BatchWriter((batch) => this.receiveBatch(batch), batching.DEBIT_BATCH_MAX, batching.DEBIT_BATCH_CONCURRENCY);
    this.finisher = new BatchWriter((batch) => this.finishBatch(batch), batching.DEBIT_BATCH_MAX, batching.DEBIT_BATCH_CONCURRENCY);
  }

  async receive(c: DebitCommand, fingerprint: Buffer, request?: OutgoingEvent, claimFor?: string): Promise<ReceiveResult> {
    if (!request) return this.receiver.submit({ c, fingerprint, claimFor: claimFor ?? null });
    const result = await this.dataSource.transaction(async (tx): Promise<ReceiveResult> => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'RECEIVED')
         on conflict (command_id) do nothing returning command_id`,
        [c.commandId, fingerprint, c.correlationId, c.causationId ?? null, c.accountNumber, c.accountType, c.amount.amountMinor, c.amount.currency,
          c.receiptId, c.description],
      );
      if (inserted.length === 1) {
        await enqueueOutbox(tx, request);
        return { kind: 'new', claimed: false };
      }
      const [row]: { state: DebitState; request_sha256: Buffer }[] = await tx.query(
        `select state, request_sha256 from debit_commands where command_id = $1`,
        [c.commandId],
      );
      if (!row) throw new Error('command conflicted on insert but is not stored');
      return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(fingerprint) };
    });
    if (result.kind === 'new') this.notifier.notify();
    return result;
  }

  private async receiveBatch(batch: readonly PendingReceive[]): Promise<ReceiveResult[]> {
    // One row per command id: a second copy of a command in the same batch is answered from the first.
    const firsts = new Map<string, PendingReceive>();
    for (const p of batch) if (!firsts.has(idOf(p.c.commandId))) firsts.set(idOf(p.c.commandId), p);
    const unique = [...firsts.values()];
    const column = <T>(pick: (p: PendingReceive) => T) => unique.map(pick);
    const inserted = await preparedQuery<{ command_id: string }>(this.dataSource, 'debit_receive_batch', RECEIVE_BATCH_SQL, [
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
    ]);
    const fresh = new Set(inserted.map((r) => r.command_id));
    const known = unique.filter((p) => !fresh.has(idOf(p.c.commandId))).map((p) => p.c.commandId);
    const stored = new Map<string, { state: DebitState; request_sha256: Buffer }>();
    if (known.length > 0) {
      const rows: { command_id: string; state: DebitState; request_sha256: Buffer }[] = await this.dataSource.query(
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
        return { kind: 'existing', state: first.claimFor !== null ? 'SUBMITTING' : 'RECEIVED', sameRequest: first.fingerprint.equals(p.fingerprint) };
      }
      const row = stored.get(id);
      if (!row) throw new Error('command conflicted on insert but is not stored');
      return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(p.fingerprint) };
    });
  }

  async recordInvalid(c: InvalidCommand, result: OutgoingEvent): Promise<boolean> {
    const fresh = await this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, reasons)
         values ($1, '\\x'::bytea, $2, $3, $4, $5, $6, $7, $8, $9, 'FAILED', $10)
         on conflict (command_id) do nothing returning command_id`,
        [c.commandId, c.correlationId, c.causationId ?? null, c.accountNumber, c.accountType, c.amount?.amountMinor ?? null, c.amount?.currency ?? null, c.receiptId, c.description, JSON.stringify(c.reasons)],
      );
      if (inserted.length === 1) await enqueueOutbox(tx, result);
      return inserted.length === 1;
    });
    if (fresh) this.notifier.notify();
    return fresh;
  }

  async expire(c: DebitCommand, fingerprint: Buffer, deadline: Date, reason: string, result: OutgoingEvent): Promise<ExpireResult> {
    const reasons = JSON.stringify([reason]);
    const outcome = await this.dataSource.transaction(async (tx): Promise<ExpireResult> => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, deadline, reasons)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'EXPIRED', $11, $12)
         on conflict (command_id) do nothing returning command_id`,
        [c.commandId, fingerprint, c.correlationId, c.causationId ?? null, c.accountNumber, c.accountType, c.amount.amountMinor, c.amount.currency,
          c.receiptId, c.description, deadline, reasons],
      );
      // A RECEIVED row (HTTP-submitted, or given back after a refused connection) is not in anyone's hands yet.
      const updated: unknown[] = inserted.length === 1 ? [] : await tx.query(
        `update debit_commands set state = 'EXPIRED', deadline = $2, reasons = $3, claimed_by = null, updated_at = now()
          where command_id = $1 and state = 'RECEIVED' and request_sha256 = $4 returning command_id`,
        [c.commandId, deadline, reasons, fingerprint],
      );
      if (inserted.length === 1 || rowCount(updated) === 1) {
        await enqueueOutbox(tx, result);
        return { kind: 'expired' };
      }
      const [row]: { state: DebitState; request_sha256: Buffer }[] = await tx.query(`select state, request_sha256 from debit_commands where command_id = $1`, [c.commandId]);
      if (!row) throw new Error('command conflicted on insert but is not stored');
      return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(fingerprint) };
    });
    if (outcome.kind === 'expired') this.notifier.notify();
    return outcome;
  }

  async claim(commandId: string, owner: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `update debit_commands set state = 'SUBMITTING', claimed_by = $2, submitted_at = now(), attempts = attempts + 1, updated_at = now()
        where command_id = $1 and state = 'RECEIVED' returning command_id`,
      [commandId, owner],
    );
    return rowCount(rows) === 1;
  }

  async release(commandId: string, owner: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `update debit_commands set state = 'RECEIVED', claimed_by = null, updated_at = now()
        where command_id = $1 and state = 'SUBMITTING' and claimed_by = $2 returning command_id`,
      [commandId, owner],
    );
    return rowCount(rows) === 1;
  }

  finish(commandId: string, owner: string, o: BixiOutcome, result: OutgoingEvent): Promise<boolean> {
    return this.finisher.submit({ commandId, owner, o, result });
  }

  private async finishBatch(batch: readonly PendingFinish[]): Promise<boolean[]> {
    const rows = batch.map((p) => ({ ...outcomeColumns(p.o), p }));
    const column = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
    const changed = await preparedQuery<{ command_id: string }>(this.dataSource, 'debit_finish_batch', FINISH_BATCH_SQL, [
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
    const done = new Set(changed.map((r) => r.command_id));
    if (done.size > 0) this.notifier.notify();
    return batch.map((p) => done.has(idOf(p.commandId)));
  }

  async resolveLate(commandId: string, owner: string, o: SettledOutcome, resolution: OutgoingEvent): Promise<boolean> {
    const c = outcomeColumns(o);
    // The UNKNOWN reason stays first in `reasons`: the trail shows both what was reported and what settled it.
    const rows: unknown[] = await this.dataSource.query(
      `with changed as (
         update debit_commands
            set state = $3, bixi_transaction_id = $4, bixi_reference_id = $5, bixi_issuer = $6, issuer_transaction_id = $7,
                bixi_status = $8, charges_minor = $9, total_minor = $10,
                reasons = coalesce(reasons, '[]'::jsonb) || coalesce($11::jsonb, '[]'::jsonb),
                resolution_source = 'late-answer', resolved_at = now(), updated_at = now()
          where command_id = $1 and state = 'UNKNOWN' and claimed_by = $2 and resolved_at is null
         returning command_id)
       ${OUTBOX_INSERT}
       select $12, $13, $14, $15, $16 from changed
       returning event_id`,
      [commandId, owner, c.state, c.bixiTransactionId, c.referenceId, c.issuer, c.issuerTransactionId, c.bixiStatus, c.chargesMinor, c.totalMinor, c.reasons,
        resolution.event.id, resolution.topic, resolution.key, resolution.value, resolution.headers],
    );
    const resolved = rowCount(rows) === 1;
    if (resolved) this.notifier.notify();
    return resolved;
  }

  async markStuckUnknown(olderThanMs: number, reason: string, result: (row: StoredDebit) => OutgoingEvent): Promise<StoredDebit[]> {
    const stuck = await this.dataSource.transaction(async (tx) => {
      const rows: DebitRow[] = await tx.query(
        `update debit_commands set state = 'UNKNOWN', reasons = $2, updated_at = now()
          where command_id in (select command_id from debit_commands
                                where state = 'SUBMITTING' and submitted_at < now() - ($1 * interval '1 millisecond')
                                order by submitted_at limit 500 for update skip locked)
          returning ${COLUMNS}`,
        [olderThanMs, JSON.stringify([reason])],
      );
      const marked = rowsOf<DebitRow>(rows).map(toStoredDebit);
      for (const row of marked) await enqueueOutbox(tx, result(row));
      return marked;
    });
    if (stuck.length > 0) this.notifier.notify();
    return stuck;
  }

  async find(commandId: string): Promise<StoredDebit | undefined> {
    const rows: DebitRow[] = await this.dataSource.query(`select ${COLUMNS} from debit_commands where command_id = $1`, [commandId]);
    return rows[0] ? toStoredDebit(rows[0]) : undefined;
  }

  async list(state: DebitState, limit: number, after?: string): Promise<StoredDebit[]> {
    const rows: DebitRow[] = await this.dataSource.query(
      `select ${COLUMNS} from debit_commands where state = $1 and ($3::uuid is null or command_id > $3::uuid) order by command_id limit $2`,
      [state, limit, after ?? null],
    );
    return rows.map(toStoredDebit);
  }
}

/** An outcome as the columns of its row. */
function outcomeColumns(o: BixiOutcome) {
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

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING on postgres. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
const rowCount = (result: unknown[]): number => rowsOf(result).length;
