import type { SuspenseAgeBucket } from '@mm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimeCursor } from './payments.read';

/**
 * The UNKNOWN debits still in `bixi-suspense`: an `mm.debit.outcome-unknown.v1` with no `mm.debit.outcome-resolved.v1`
 * for the same commandId (the first UNKNOWN of a command counts, should it have been published twice). `$1` is the
 * moment the ages are taken at.
 */
export const OPEN_SUSPENSE = `(select distinct on (u.command_id) u.id, u.time, u.envelope->'data' as d from events u
   where u.type = 'mm.debit.outcome-unknown.v1'
     and not exists (select 1 from events r where r.type = 'mm.debit.outcome-resolved.v1'
                      and r.command_id = u.command_id)
   order by u.command_id, u.time, u.id) o`;

const AGE_SECONDS = `greatest(0, floor(extract(epoch from ($1::timestamptz - o.time))))::bigint`;
const BUCKET = `case when ${AGE_SECONDS} < 3600 then '<1h' when ${AGE_SECONDS} < 86400 then '1-24h'
  when ${AGE_SECONDS} < 604800 then '1-7d' else '>7d' end`;

export interface OpenSuspenseRow {
  event_id: string;
  time_key: string;
  command_id: string;
  account: string;
  account_type: string;
  amount_minor: string;
  currency: string;
  since: Date;
  age_seconds: string;
  age: SuspenseAgeBucket;
}

export interface SuspenseTotalRow {
  currency: string;
  age: SuspenseAgeBucket;
  count: number;
  amount_minor: string;
}

@Injectable()
export class SuspenseRead {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest first, after the cursor's (time, id); one extra row tells whether a next page exists. */
  list(asOf: Date, limit: number, after?: TimeCursor): Promise<OpenSuspenseRow[]> {
    return this.dataSource.query(
      `select o.id as event_id, o.time::text as time_key, o.d->>'commandId' as command_id, o.d->>'accountNumber' as account,
              o.d->>'accountType' as account_type, o.d->'amount'->>'amountMinor' as amount_minor, o.d->'amount'->>'currency' as currency,
              o.time as since, ${AGE_SECONDS}::text as age_seconds, ${BUCKET} as age
         from ${OPEN_SUSPENSE}
        where ($2::timestamptz is null or (o.time, o.id) > ($2::timestamptz, $3::text))
        order by o.time, o.id limit $4`,
      [asOf.toISOString(), after?.time ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** Every open UNKNOWN counted and summed per currency and age bucket (youngest bucket first). */
  byAge(asOf: Date): Promise<SuspenseTotalRow[]> {
    return this.dataSource.query(
      `select o.d->'amount'->>'currency' as currency, ${BUCKET} as age, count(*)::int as count,
              sum((o.d->'amount'->>'amountMinor')::numeric)::text as amount_minor
         from ${OPEN_SUSPENSE} group by 1, 2 order by 1, min(${AGE_SECONDS})`,
      [asOf.toISOString()],
    );
  }
}

/** The per-currency totals of the age buckets (amounts added as bigints, never as floats). */
export function totalsOf(buckets: SuspenseTotalRow[]): { currency: string; count: number; amountMinor: string }[] {
  const totals = new Map<string, { currency: string; count: number; amountMinor: string }>();
  for (const b of buckets) {
    const t = totals.get(b.currency) ?? { currency: b.currency, count: 0, amountMinor: '0' };
    totals.set(b.currency, {
      currency: b.currency,
      count: t.count + b.count,
      amountMinor: (BigInt(t.amountMinor) + BigInt(b.amount_minor)).toString(),
    });
  }
  return [...totals.values()];
}

export const bucketView = (b: SuspenseTotalRow) => ({ currency: b.currency, age: b.age, count: b.count, amountMinor: b.amount_minor });
