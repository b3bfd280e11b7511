import { BREAK_TYPES, type BreakSummary, type BreakView } from '@mm/contracts';
import type { Queryable } from '@mm/platform';
import { rowsOf as rowsOfResult } from '../../postgres/debit-row';
import type { BreakFilter } from '../statement.repository';

const rowsOf = (result: unknown): BreakRow[] => rowsOfResult<BreakRow>(result);

const iso = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
export const BREAK_COLUMNS = `break_id::text, type, status, statement_id::text, statement_rows, book_rows, detail,
  to_char(created_at at time zone 'UTC', ${iso}) as created_at, to_char(closed_at at time zone 'UTC', ${iso}) as closed_at,
  closed_by, close_reason`;

interface BreakRow {
  break_id: string;
  type: BreakView['type'];
  status: BreakView['status'];
  statement_id: string | null;
  statement_rows: Record<string, string>[];
  book_rows: Record<string, string>[];
  detail: string;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
}

export const toBreakView = (r: BreakRow): BreakView => ({
  breakId: r.break_id,
  type: r.type,
  status: r.status,
  statementId: r.statement_id,
  statementRows: r.statement_rows,
  bookRows: r.book_rows,
  detail: r.detail,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closeReason: r.close_reason,
});

export async function listBreaks(db: Queryable, f: BreakFilter): Promise<BreakView[]> {
  const result = await db.query(
    `select ${BREAK_COLUMNS} from breaks
      where ($1::text is null or type = $1) and ($2::text is null or status = $2) and ($3::uuid is null or statement_id = $3)
        and ($4::uuid is null or break_id < $4)
      order by break_id desc
      limit $5`,
    [f.type ?? null, f.status ?? null, f.statementId ?? null, f.before ?? null, f.limit + 1],
  );
  return rowsOf(result).map(toBreakView);
}

export async function findBreak(db: Queryable, breakId: string): Promise<BreakView | undefined> {
  const [row] = rowsOf(await db.query(`select ${BREAK_COLUMNS} from breaks where break_id = $1`, [breakId]));
  return row ? toBreakView(row) : undefined;
}

/** Closes an open break; undefined when there is no open break with this id. */
export async function closeOpenBreak(db: Queryable, breakId: string, operator: string, reason: string): Promise<BreakView | undefined> {
  const [row] = rowsOf(
    await db.query(
      `update breaks set status = 'CLOSED', closed_by = $2, closed_at = now(), close_reason = $3
        where break_id = $1 and status = 'OPEN' returning ${BREAK_COLUMNS}`,
      [breakId, operator, reason],
    ),
  );
  return row ? toBreakView(row) : undefined;
}

/** Open breaks by type, every type listed (zero when none). */
export async function breakSummary(db: Queryable): Promise<BreakSummary> {
  const rows = (await db.query(`select type, count(*)::int as count from breaks where status = 'OPEN' group by type`)) as {
    type: string;
    count: number;
  }[];
  const counts = new Map(rows.map((r) => [r.type, r.count]));
  return { open: BREAK_TYPES.map((type) => ({ type, count: counts.get(type) ?? 0 })) };
}
