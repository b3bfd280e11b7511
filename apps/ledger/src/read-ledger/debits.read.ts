import { LEDGER_DEBIT_STATES } from '@mm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { beforeCursor, eventColumns, POSTINGS_OF_EVENTS, type EventRow, type PostingRow, type TimeCursor } from './payments.read';

export const DEBIT_STATES = LEDGER_DEBIT_STATES;
export type DebitState = (typeof DEBIT_STATES)[number];

export const RESULT_TYPES = `('mm.debit.approved.v1', 'mm.debit.declined.v1', 'mm.debit.failed.v1', 'mm.debit.outcome-unknown.v1',
  'mm.debit.expired.v1', 'mm.debit.outcome-resolved.v1')`;

/**
 * A command's state is its latest result's outcome, or REQUESTED while none has arrived. A resolved UNKNOWN is
 * APPROVED when it was debited, NOT_DEBITED otherwise. `res` is the alias of the result row (type, envelope).
 */
export const STATE_OF_RESULT = (res: string) => `case ${res}.type
  when 'mm.debit.approved.v1' then 'APPROVED' when 'mm.debit.declined.v1' then 'DECLINED'
  when 'mm.debit.failed.v1' then 'FAILED' when 'mm.debit.outcome-unknown.v1' then 'UNKNOWN'
  when 'mm.debit.expired.v1' then 'EXPIRED'
  when 'mm.debit.outcome-resolved.v1' then case ${res}.envelope->'data'->>'outcome' when 'DEBITED' then 'APPROVED' else 'NOT_DEBITED' end
  else 'REQUESTED' end`;

/** The latest result event of request `r`, found through the commandId index. */
export const LATEST_RESULT = `left join lateral (
  select x.id, x.type, x.time, x.envelope from events x
   where x.command_id = r.command_id and x.type in ${RESULT_TYPES}
   order by x.time desc, x.id desc limit 1) res on true`;

export interface DebitRow extends EventRow {
  state: DebitState;
  result_time: Date | null;
}

@Injectable()
export class DebitsRead {
  constructor(private readonly dataSource: DataSource) {}

  list(f: {
    state?: DebitState;
    commandId?: string;
    accountNumber?: string;
    from?: string;
    to?: string;
    cursor?: TimeCursor;
    limit: number;
  }): Promise<DebitRow[]> {
    return this.dataSource.query(
      `select ${eventColumns('r')}, ${STATE_OF_RESULT('res')} as state, res.time as result_time
         from events r ${LATEST_RESULT}
        where r.type = 'mm.debit.requested.v1'
          and ($1::text is null or ${STATE_OF_RESULT('res')} = $1)
          and ($2::text is null or r.account_number = $2)
          and ($3::timestamptz is null or r.time >= $3)
          and ($4::timestamptz is null or r.time < $4)
          and ${beforeCursor(5, 'r')}
          and ($8::text is null or r.command_id = $8)
        order by r.time desc, r.id desc limit $7`,
      [
        f.state ?? null,
        f.accountNumber ?? null,
        f.from ?? null,
        f.to ?? null,
        f.cursor?.time ?? null,
        f.cursor?.id ?? null,
        f.limit + 1,
        f.commandId ?? null,
      ],
    );
  }

  /** The command and every result event for it, oldest first, with the postings they booked. */
  async findOne(commandId: string): Promise<{ events: EventRow[]; postings: PostingRow[] }> {
    const events: EventRow[] = await this.dataSource.query(
      `select ${eventColumns()} from events e
        where e.command_id = $1 and (e.type = 'mm.debit.requested.v1' or e.type in ${RESULT_TYPES})
        order by e.time, e.id`,
      [commandId],
    );
    const postings: PostingRow[] = events.length ? await this.dataSource.query(POSTINGS_OF_EVENTS, [events.map((e) => e.id)]) : [];
    return { events, postings };
  }
}
