import { Topics, type CorrectionState } from '@mm/contracts';
import { enqueueOutbox, OutboxNotifier, recordOperatorAction } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Correction, CorrectionListFilter, CorrectionRepository, CorrectionTransaction, NewProposal } from '../corrections';
import { lockOriginal, readStoredEvent } from './originals.pg';

const COLUMNS = `id, state, original_event_id, original_type, amount_minor::text, currency, reason, maker_id, checker_id, decided_reason,
  correction_id, to_char(proposed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as proposed_at,
  to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as decided_at`;

interface Row {
  id: string;
  state: CorrectionState;
  original_event_id: string;
  original_type: Correction['originalEventType'];
  amount_minor: string;
  currency: string;
  reason: string;
  maker_id: string;
  checker_id: string | null;
  decided_reason: string | null;
  correction_id: string | null;
  proposed_at: string;
  decided_at: string | null;
}

const view = (r: Row): Correction => ({
  id: r.id,
  state: r.state,
  originalEventId: r.original_event_id,
  originalEventType: r.original_type,
  amount: { amountMinor: r.amount_minor, currency: r.currency },
  reason: r.reason,
  makerId: r.maker_id,
  proposedAt: r.proposed_at,
  checkerId: r.checker_id,
  decidedReason: r.decided_reason,
  decidedAt: r.decided_at,
  correctionId: r.correction_id,
});

/** Proposals in `correction_proposals`, their events in the ledger's outbox, their audit in `operator_actions`. */
@Injectable()
export class PgCorrectionRepository implements CorrectionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
  ) {}

  underOriginalLock<T>(originalEventId: string, work: (tx: CorrectionTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await lockOriginal(manager, originalEventId);
      return work(new PgCorrectionTransaction(manager));
    });
  }

  async find(id: string): Promise<Correction | undefined> {
    const rows: Row[] = await this.dataSource.query(`select ${COLUMNS} from correction_proposals where id = $1`, [id]);
    return rows[0] && view(rows[0]);
  }

  async list(f: CorrectionListFilter): Promise<Correction[]> {
    const rows: Row[] = await this.dataSource.query(
      `select ${COLUMNS} from correction_proposals
        where ($1::text is null or state = $1)
          and ($2::timestamptz is null or (proposed_at, id) < ($2::timestamptz, $3::uuid))
        order by proposed_at desc, id desc limit $4`,
      [f.state ?? null, f.before?.at ?? null, f.before?.id ?? null, f.limit + 1],
    );
    return rows.map(view);
  }

  notifyPublished(): void {
    this.notifier.notify();
  }
}

class PgCorrectionTransaction implements CorrectionTransaction {
  constructor(private readonly tx: EntityManager) {}

  original(eventId: string) {
    return readStoredEvent(this.tx, eventId);
  }

  async approvedTotal(eventId: string): Promise<bigint> {
    const rows: { total: string }[] = await this.tx.query(
      `select coalesce(sum(amount_minor), 0)::text as total from correction_proposals where original_event_id = $1 and state = 'APPROVED'`,
      [eventId],
    );
    return BigInt(rows[0]?.total ?? '0');
  }

  async insert(p: NewProposal): Promise<Correction> {
    const rows: Row[] = await this.tx.query(
      `insert into correction_proposals (id, original_event_id, original_type, amount_minor, currency, reason, maker_id)
       values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
      [p.id, p.originalEventId, p.originalType, p.amount.amountMinor, p.amount.currency, p.reason, p.makerId],
    );
    return view(rows[0]!);
  }

  async lock(id: string): Promise<Correction | undefined> {
    const rows: Row[] = await this.tx.query(`select ${COLUMNS} from correction_proposals where id = $1 for update`, [id]);
    return rows[0] && view(rows[0]);
  }

  async approve(id: string, checkerId: string, correctionId: string): Promise<Correction> {
    return this.decide(`state = 'APPROVED', checker_id = $2, correction_id = $3`, [id, checkerId, correctionId]);
  }

  async reject(id: string, checkerId: string, reason: string): Promise<Correction> {
    return this.decide(`state = 'REJECTED', checker_id = $2, decided_reason = $3`, [id, checkerId, reason]);
  }

  async publish(event: { id: string; key: string; value: string; headers: Record<string, string> }): Promise<void> {
    await enqueueOutbox(this.tx, { event, topic: Topics.LedgerCorrection, key: event.key, value: event.value, headers: event.headers });
  }

  async audit(action: Parameters<CorrectionTransaction['audit']>[0]): Promise<void> {
    await recordOperatorAction(this.tx, action);
  }

  private async decide(set: string, params: unknown[]): Promise<Correction> {
    const rows: [Row[], number] = await this.tx.query(
      `update correction_proposals set ${set}, decided_at = now() where id = $1 and state = 'PROPOSED' returning ${COLUMNS}`,
      params,
    );
    // TypeORM answers an UPDATE … RETURNING as [rows, count].
    const row = rows[0][0];
    if (!row) throw new Error(`correction ${String(params[0])} was not PROPOSED under its lock`);
    return view(row);
  }
}
