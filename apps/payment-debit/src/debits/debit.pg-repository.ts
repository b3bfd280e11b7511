import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BixiOutcome } from '../bixi/bixi-outcome';
import { DEBIT_OUTBOX_CHANNEL } from '../outbox/debit-outbox.constants';
import type { DebitCommand, DebitState } from './debit-command';
import type { DebitRepository, InvalidCommand, OutgoingEvent, ReceiveResult, StoredDebit } from './debit.repository';
import { toStoredDebit, type DebitRow } from './debit-row';

const COLUMNS = `command_id, state, account_number, account_type, amount_minor, currency, receipt_id, description, correlation_id,
  causation_id, attempts, bixi_transaction_id, bixi_reference_id, bixi_issuer, issuer_transaction_id, bixi_status,
  charges_minor, total_minor, reasons, created_at, updated_at`;

/** Raw parameterised SQL: each conditional UPDATE is the lock that keeps one command to one Bixi call. */
@Injectable()
export class PgDebitRepository implements DebitRepository {
  constructor(private readonly dataSource: DataSource) {}

  async receive(c: DebitCommand, fingerprint: Buffer, request?: OutgoingEvent, claimFor?: string): Promise<ReceiveResult> {
    // A new command can be stored already claimed (one statement, no transaction): nobody else can hold it yet.
    const run = async (db: Queryable): Promise<ReceiveResult> => {
      const inserted: unknown[] = await db.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, claimed_by, submitted_at, attempts)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::uuid, case when $12::uuid is null then null else now() end,
                 case when $12::uuid is null then 0 else 1 end)
         on conflict (command_id) do nothing returning command_id`,
        [c.commandId, fingerprint, c.correlationId, c.causationId ?? null, c.accountNumber, c.accountType, c.amount.amountMinor, c.amount.currency,
          c.receiptId, c.description, claimFor ? 'SUBMITTING' : 'RECEIVED', claimFor ?? null],
      );
      if (inserted.length === 1) {
        if (request) await enqueue(db, request);
        return { kind: 'new', claimed: claimFor !== undefined };
      }
      const [row]: { state: DebitState; request_sha256: Buffer }[] = await db.query(
        `select state, request_sha256 from debit_commands where command_id = $1`,
        [c.commandId],
      );
      if (!row) throw new Error('command conflicted on insert but is not stored');
      return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(fingerprint) };
    };
    return request ? this.dataSource.transaction(run) : run(this.dataSource);
  }

  async recordInvalid(c: InvalidCommand, result: OutgoingEvent): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
           amount_minor, currency, receipt_id, description, state, reasons)
         values ($1, '\\x'::bytea, $2, $3, $4, $5, $6, $7, $8, $9, 'FAILED', $10)
         on conflict (command_id) do nothing returning command_id`,
        [c.commandId, c.correlationId, c.causationId ?? null, c.accountNumber, c.accountType, c.amount?.amountMinor ?? null, c.amount?.currency ?? null, c.receiptId, c.description, JSON.stringify(c.reasons)],
      );
      if (inserted.length === 1) await enqueue(tx, result);
      return inserted.length === 1;
    });
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

  async finish(commandId: string, owner: string, o: BixiOutcome, result: OutgoingEvent): Promise<boolean> {
    const t = o.state === 'APPROVED' ? o.transaction : undefined;
    const reasons = o.state === 'FAILED' ? o.reasons : o.state === 'APPROVED' ? null : [o.reason];
    const bixiId = t?.bixiTransactionId ?? (o.state === 'DECLINED' || o.state === 'UNKNOWN' ? o.bixiTransactionId : undefined);
    const bixiStatus = t?.bixiStatus ?? (o.state === 'DECLINED' || o.state === 'UNKNOWN' ? o.bixiStatus : undefined);
    // One statement, so the state change and its outbox row commit together without a transaction round trip.
    const rows: unknown[] = await this.dataSource.query(
      `with changed as (
         update debit_commands set state = $3, bixi_transaction_id = $4, bixi_reference_id = $5, bixi_issuer = $6,
           issuer_transaction_id = $7, bixi_status = $8, charges_minor = $9, total_minor = $10, reasons = $11, updated_at = now()
          where command_id = $1 and state = 'SUBMITTING' and claimed_by = $2 returning command_id
       ), queued as (
         insert into outbox (event_id, topic, message_key, payload, headers) select $12, $13, $14, $15, $16 from changed returning id
       )
       select id, pg_notify($17, '') as notified from queued`,
      [commandId, owner, o.state, bixiId ?? null, t?.referenceId ?? null, t?.issuer ?? null, t?.issuerTransactionId ?? null, bixiStatus ?? null,
        t?.charges.amountMinor ?? null, t?.total.amountMinor ?? null, reasons ? JSON.stringify(reasons) : null,
        result.event.id, result.topic, result.key, result.value, result.headers, DEBIT_OUTBOX_CHANNEL],
    );
    return rows.length === 1;
  }

  async markStuckUnknown(olderThanMs: number, reason: string, result: (row: StoredDebit) => OutgoingEvent): Promise<StoredDebit[]> {
    return this.dataSource.transaction(async (tx) => {
      const rows: DebitRow[] = await tx.query(
        `update debit_commands set state = 'UNKNOWN', reasons = $2, updated_at = now()
          where command_id in (select command_id from debit_commands
                                where state = 'SUBMITTING' and submitted_at < now() - ($1 * interval '1 millisecond')
                                order by submitted_at limit 500 for update skip locked)
          returning ${COLUMNS}`,
        [olderThanMs, JSON.stringify([reason])],
      );
      const stuck = rowsOf<DebitRow>(rows).map(toStoredDebit);
      for (const row of stuck) await enqueue(tx, result(row));
      return stuck;
    });
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

interface Queryable {
  query<T = unknown[]>(sql: string, params?: unknown[]): Promise<T>;
}

async function enqueue(tx: Queryable, e: OutgoingEvent): Promise<void> {
  await tx.query(`insert into outbox (event_id, topic, message_key, payload, headers) values ($1, $2, $3, $4, $5)`, [e.event.id, e.topic, e.key, e.value, e.headers]);
  await tx.query(`select pg_notify($1, '')`, [DEBIT_OUTBOX_CHANNEL]);
}

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING on postgres. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
const rowCount = (result: unknown[]): number => rowsOf(result).length;
