import type { BreakStatus, BreakSummary, BreakType, BreakView } from '@mm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface BreakFilter {
  type?: BreakType;
  status?: BreakStatus;
  statementId?: string;
  /** Rows strictly older than this (createdAt, id) key: the cursor of the previous page. */
  before?: { at: string; id: string };
  limit: number;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const BREAK_COLUMNS = `b.id as "breakId", b.type, case when c.break_id is null then 'OPEN' else 'CLOSED' end as status,
  b.statement_id as "statementId", b.statement_rows as "statementRows", b.book_rows as "bookRows", b.detail,
  ${iso('b.created_at')} as "createdAt", ${iso('c.closed_at')} as "closedAt", c.closed_by as "closedBy", c.reason as "closeReason"`;

const FROM_BREAKS = `from provider_breaks b left join provider_break_closures c on c.break_id = b.id`;

/** Provider-statement breaks, newest first; a break is OPEN until its closure is recorded. */
@Injectable()
export class BreaksRead {
  constructor(private readonly dataSource: DataSource) {}

  /** One extra row is fetched so the caller can tell whether a next page exists. */
  list(f: BreakFilter): Promise<BreakView[]> {
    return this.dataSource.query(
      `select ${BREAK_COLUMNS} ${FROM_BREAKS}
        where ($1::text is null or b.type = $1) and ($2::text is null or (c.break_id is null) = ($2 = 'OPEN'))
          and ($3::uuid is null or b.statement_id = $3)
          and ($4::timestamptz is null or (b.created_at, b.id) < ($4::timestamptz, $5::uuid))
        order by b.created_at desc, b.id desc limit $6`,
      [f.type ?? null, f.status ?? null, f.statementId ?? null, f.before?.at ?? null, f.before?.id ?? null, f.limit + 1],
    );
  }

  async findOne(breakId: string): Promise<BreakView | undefined> {
    const [row] = (await this.dataSource.query(`select ${BREAK_COLUMNS} ${FROM_BREAKS} where b.id = $1`, [breakId])) as BreakView[];
    return row;
  }

  /** Open breaks counted by type (every type, zero included). */
  async summary(): Promise<BreakSummary> {
    const rows = (await this.dataSource.query(
      `select t.type, count(b.id)::int as count
         from unnest(array['MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS']) with ordinality as t(type, n)
         left join provider_breaks b on b.type = t.type and not exists (select 1 from provider_break_closures c where c.break_id = b.id)
        group by t.type, t.n order by t.n`,
    )) as BreakSummary['open'];
    return { open: rows };
  }
}
