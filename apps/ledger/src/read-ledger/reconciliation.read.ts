import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LATEST_RESULT, RESULT_TYPES, STATE_OF_RESULT } from './debits.read';

export interface Day {
  from: string;
  to: string;
}

const REQUESTS_OF_DAY = `from events r ${LATEST_RESULT} where r.type = 'mm.debit.requested.v1' and r.time >= $1 and r.time < $2`;
const FLAG_LIMIT = 1000;

/** The aggregates behind the daily reconciliation report; amounts are summed as numeric, returned as text. */
@Injectable()
export class ReconciliationRead {
  constructor(private readonly dataSource: DataSource) {}

  payments(day: Day): Promise<{ provider_id: string; operator: string | null; currency: string; count: number; total_minor: string }[]> {
    return this.dataSource.query(
      `select e.envelope->'data'->>'providerId' as provider_id, e.envelope->'data'->>'operator' as operator,
              e.envelope->'data'->'amount'->>'currency' as currency, count(*)::int as count,
              sum((e.envelope->'data'->'amount'->>'amountMinor')::numeric)::text as total_minor
         from events e where e.type = 'mm.payment.received.v1' and e.time >= $1 and e.time < $2
        group by 1, 2, 3 order by 1, 2 nulls first, 3`,
      [day.from, day.to],
    );
  }

  debits(day: Day): Promise<
    {
      operator: string;
      currency: string;
      state: string;
      count: number;
      amount_minor: string;
      charges_minor: string | null;
      total_minor: string | null;
    }[]
  > {
    return this.dataSource.query(
      `select r.envelope->'data'->>'accountType' as operator, r.envelope->'data'->'amount'->>'currency' as currency,
              ${STATE_OF_RESULT('res')} as state, count(*)::int as count,
              sum((r.envelope->'data'->'amount'->>'amountMinor')::numeric)::text as amount_minor,
              sum((res.envelope->'data'->'charges'->>'amountMinor')::numeric)::text as charges_minor,
              sum((res.envelope->'data'->'total'->>'amountMinor')::numeric)::text as total_minor
         ${REQUESTS_OF_DAY} group by 1, 2, 3 order by 1, 2, 3`,
      [day.from, day.to],
    );
  }

  /** Postings of the day's events per currency: each must net to zero (the database already refuses otherwise). */
  ledger(day: Day): Promise<{ currency: string; debits_minor: string; credits_minor: string; net_minor: string }[]> {
    return this.dataSource.query(
      `select p.currency, sum(greatest(p.amount_minor, 0))::text as debits_minor, sum(least(p.amount_minor, 0))::text as credits_minor,
              sum(p.amount_minor)::text as net_minor
         from postings p join journal_entries j on j.id = p.entry_id join events e on e.id = j.event_id
        where e.time >= $1 and e.time < $2 group by 1 order by 1`,
      [day.from, day.to],
    );
  }

  /** Requests still without a result after the deadline, UNKNOWN outcomes, and results for commands never seen. */
  flags(day: Day, deadlineSeconds: number): Promise<{ kind: string; command_id: string; event_id: string; time: Date }[]> {
    return this.dataSource.query(
      `(select 'MISSING_RESULT' as kind, r.envelope->'data'->>'commandId' as command_id, r.id as event_id, r.time
          ${REQUESTS_OF_DAY} and res.id is null and r.time < now() - make_interval(secs => $3))
       union all
       (select 'OUTCOME_UNKNOWN', r.envelope->'data'->>'commandId', res.id, res.time
          ${REQUESTS_OF_DAY} and ${STATE_OF_RESULT('res')} = 'UNKNOWN')
       union all
       (select 'RESULT_WITHOUT_REQUEST', x.envelope->'data'->>'commandId', x.id, x.time from events x
         where x.type in ${RESULT_TYPES} and x.time >= $1 and x.time < $2
           and not exists (select 1 from events q where q.type = 'mm.debit.requested.v1'
                            and q.command_id = x.command_id))
       order by 4, 3 limit ${FLAG_LIMIT}`,
      [day.from, day.to, deadlineSeconds],
    );
  }
}
