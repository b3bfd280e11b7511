import type { DeadLetterState, DeadLetterSummary, DeadLetterView } from '@mm/contracts';
import type { Queryable } from '../operators/operator-actions';
import type { DeadLetterRecord } from './dead-letter-record';

const COLUMNS = 11;

/** Stores DLQ messages once each (a redelivered batch inserts nothing new); rows per statement stay well under pg's limits. */
export async function insertDeadLetters(db: Queryable, records: readonly DeadLetterRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const values = chunk.map((_, r) => `(${Array.from({ length: COLUMNS }, (__, c) => `$${r * COLUMNS + c + 1}`).join(', ')})`);
    await db.query(
      `insert into dead_letters (dlq_topic, dlq_partition, dlq_offset, original_topic, original_partition, original_offset,
                                 message_key, headers, value, reason, event_id)
       values ${values.join(', ')}
       on conflict (dlq_topic, dlq_partition, dlq_offset) do nothing`,
      chunk.flatMap((d) => [
        d.dlqTopic,
        d.dlqPartition,
        d.dlqOffset,
        d.originalTopic,
        d.originalPartition,
        d.originalOffset,
        d.key,
        JSON.stringify(d.headers),
        d.value,
        d.reason,
        d.eventId,
      ]),
    );
  }
}

export interface DeadLetterRow {
  id: string;
  state: DeadLetterState;
  original_topic: string | null;
  original_partition: number | null;
  original_offset: string | null;
  message_key: Buffer | null;
  headers: Record<string, string>;
  value: Buffer | null;
  reason: string;
  event_id: string | null;
  received_at: string;
  replayed_by: string | null;
  replayed_at: string | null;
  dlq_topic: string;
  dlq_partition: number;
  dlq_offset: string;
}

const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
export const DEAD_LETTER_SELECT = `select id::text, state, original_topic, original_partition, original_offset::text, message_key, headers,
       value, reason, event_id, ${utc('received_at')} as received_at, replayed_by, ${utc('replayed_at')} as replayed_at,
       dlq_topic, dlq_partition, dlq_offset::text from dead_letters`;

/** TypeORM answers the rows, a pg client a result holding them. */
export const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

export interface DeadLetterFilter {
  state?: DeadLetterState;
  before?: { at: string; id: string };
  limit: number;
}

/** Newest first, one extra row so the caller can tell whether a next page exists. */
export async function listDeadLetters(db: Queryable, f: DeadLetterFilter): Promise<DeadLetterRow[]> {
  const result = await db.query(
    `${DEAD_LETTER_SELECT}
      where ($1::text is null or state = $1)
        and ($2::timestamptz is null or (received_at, id) < ($2::timestamptz, $3::bigint))
      order by received_at desc, id desc
      limit $4`,
    [f.state ?? null, f.before?.at ?? null, f.before?.id ?? null, f.limit + 1],
  );
  return rowsOf<DeadLetterRow>(result);
}

export async function findDeadLetter(db: Queryable, id: string, forUpdate = false): Promise<DeadLetterRow | undefined> {
  return rowsOf<DeadLetterRow>(await db.query(`${DEAD_LETTER_SELECT} where id = $1${forUpdate ? ' for update' : ''}`, [id]))[0];
}

export async function markReplayed(db: Queryable, id: string, by: string): Promise<void> {
  await db.query(`update dead_letters set state = 'replayed', replayed_by = $2, replayed_at = now() where id = $1`, [id, by]);
}

export const toSummary = (r: DeadLetterRow): DeadLetterSummary => ({
  id: r.id,
  state: r.state,
  originalTopic: r.original_topic,
  originalPartition: r.original_partition,
  originalOffset: r.original_offset,
  key: r.message_key?.toString('utf8') ?? null,
  reason: r.reason,
  eventId: r.event_id,
  receivedAt: r.received_at,
  replayedBy: r.replayed_by,
  replayedAt: r.replayed_at,
});

export const toView = (r: DeadLetterRow): DeadLetterView => ({
  ...toSummary(r),
  headers: r.headers,
  value: r.value?.toString('utf8') ?? null,
  valueBytes: r.value?.length ?? null,
  dlqTopic: r.dlq_topic,
  dlqPartition: r.dlq_partition,
  dlqOffset: r.dlq_offset,
});
