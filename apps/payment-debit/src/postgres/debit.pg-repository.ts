import { BatchWriter, enqueueOutbox, OutboxNotifier } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import type { BixiOutcome, SettledOutcome } from '../debits/bixi-outcome';
import type { DebitCommand, DebitState } from '../debits/debit-command';
import type { DebitLimits } from '../debits/debit-limits';
import type {
  ClaimResult,
  DebitRepository,
  ExpireResult,
  InvalidCommand,
  OutgoingEvent,
  ReceiveResult,
  StoredDebit,
} from '../debits/debit.repository';
import { claimWithinLimits } from './claim-within-limits';
import { COLUMNS, idOf, rowCount, rowsOf, toStoredDebit, type DebitRow } from './debit-row';
import { finishBatch, type PendingFinish } from './finish-batch';
import { receiveBatch, type PendingReceive } from './receive-batch';
import { resolveUnknown } from './resolve-unknown';

/**
 * At most `DEBIT_BATCH_MAX` commands per statement, `DEBIT_BATCH_CONCURRENCY` statements in flight before requests
 * queue; `DEBIT_LIMITS`, when set, checked as each command is claimed.
 */
export type DebitBatching = Pick<DebitConfig, 'DEBIT_BATCH_MAX' | 'DEBIT_BATCH_CONCURRENCY'> & Partial<Pick<DebitConfig, 'DEBIT_LIMITS'>>;

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
  private readonly limits: DebitLimits | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
    @Inject(DEBIT_CONFIG) batching: DebitBatching,
  ) {
    this.receiver = new BatchWriter(
      (batch) => receiveBatch(this.dataSource, batch),
      batching.DEBIT_BATCH_MAX,
      batching.DEBIT_BATCH_CONCURRENCY,
    );
    this.finisher = new BatchWriter((batch) => this.finishBatch(batch), batching.DEBIT_BATCH_MAX, batching.DEBIT_BATCH_CONCURRENCY);
    this.limits = batching.DEBIT_LIMITS ?? null;
  }

  async receive(c: DebitCommand, fingerprint: Buffer, request?: OutgoingEvent, claimFor?: string): Promise<ReceiveResult> {
    // Under limits a command is stored RECEIVED and claimed by `claim`, which checks them first.
    if (!request) return this.receiver.submit({ c, fingerprint, claimFor: this.limits ? null : (claimFor ?? null) });
    const result = await this.dataSource.transaction(async (tx): Promise<ReceiveResult> => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, requester)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'RECEIVED', $11)
         on conflict (command_id) do nothing returning command_id`,
        [
          c.commandId,
          fingerprint,
          c.correlationId,
          c.causationId ?? null,
          c.accountNumber,
          c.accountType,
          c.amount.amountMinor,
          c.amount.currency,
          c.receiptId,
          c.description,
          c.requestedBy ?? null,
        ],
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

  async recordInvalid(c: InvalidCommand, result: OutgoingEvent): Promise<boolean> {
    const fresh = await this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, reasons)
         values ($1, '\\x'::bytea, $2, $3, $4, $5, $6, $7, $8, $9, 'FAILED', $10)
         on conflict (command_id) do nothing returning command_id`,
        [
          c.commandId,
          c.correlationId,
          c.causationId ?? null,
          c.accountNumber,
          c.accountType,
          c.amount?.amountMinor ?? null,
          c.amount?.currency ?? null,
          c.receiptId,
          c.description,
          JSON.stringify(c.reasons),
        ],
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
           amount_minor, currency, receipt_id, description, state, deadline, reasons, requester)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'EXPIRED', $11, $12, $13)
         on conflict (command_id) do nothing returning command_id`,
        [
          c.commandId,
          fingerprint,
          c.correlationId,
          c.causationId ?? null,
          c.accountNumber,
          c.accountType,
          c.amount.amountMinor,
          c.amount.currency,
          c.receiptId,
          c.description,
          deadline,
          reasons,
          c.requestedBy ?? null,
        ],
      );
      // A RECEIVED row (HTTP-submitted, or given back after a refused connection) is not in anyone's hands yet.
      const updated: unknown[] =
        inserted.length === 1
          ? []
          : await tx.query(
              `update debit_commands set state = 'EXPIRED', deadline = $2, reasons = $3, claimed_by = null, updated_at = now()
          where command_id = $1 and state = 'RECEIVED' and request_sha256 = $4 returning command_id`,
              [c.commandId, deadline, reasons, fingerprint],
            );
      if (inserted.length === 1 || rowCount(updated) === 1) {
        await enqueueOutbox(tx, result);
        return { kind: 'expired' };
      }
      const [row]: { state: DebitState; request_sha256: Buffer }[] = await tx.query(
        `select state, request_sha256 from debit_commands where command_id = $1`,
        [c.commandId],
      );
      if (!row) throw new Error('command conflicted on insert but is not stored');
      return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(fingerprint) };
    });
    if (outcome.kind === 'expired') this.notifier.notify();
    return outcome;
  }

  async claim(commandId: string, owner: string, overLimit?: (reason: string) => OutgoingEvent): Promise<ClaimResult> {
    if (this.limits) {
      if (!overLimit) throw new Error('a claim under debit limits needs the result of a decline');
      const claim = await claimWithinLimits(this.dataSource, this.limits, commandId, owner, overLimit);
      if (typeof claim === 'object') this.notifier.notify();
      return claim;
    }
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
    const done = await finishBatch(this.dataSource, batch);
    if (done.size > 0) this.notifier.notify();
    return batch.map((p) => done.has(idOf(p.commandId)));
  }

  async resolveLate(commandId: string, owner: string, o: SettledOutcome, resolution: OutgoingEvent): Promise<boolean> {
    const resolved = await resolveUnknown(this.dataSource, commandId, 'late-answer', o, resolution, owner);
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
