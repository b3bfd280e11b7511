import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where a time-ordered page starts: the sort key of the previous page's last row. */
export interface TimeCursor {
  time: string;
  id: string;
}

export interface PaymentFilter {
  providerId?: string;
  customerId?: string;
  /** E.164, as ingest stored it. */
  msisdn?: string;
  transactionId?: string;
  accountNumber?: string;
  currency?: string;
  from?: string;
  to?: string;
  cursor?: TimeCursor;
  limit: number;
}

export interface EventRow {
  id: string;
  type: string;
  subject: string;
  time_key: string;
  time: Date;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  received_at: Date;
  envelope: { data: Record<string, unknown> } & Record<string, unknown>;
}

export interface PostingRow {
  id: string;
  entry_id: string;
  event_id: string;
  account_id: string;
  currency: string;
  amount_minor: string;
  booked_at: Date;
}

/** Columns every event-shaped read selects; `time_key` is the exact text of `time`, for cursors without rounding. */
export const eventColumns = (a = 'e') =>
  `${a}.id, ${a}.type, ${a}.subject, ${a}.time::text as time_key, ${a}.time, ${a}.topic, ${a}.kafka_partition, ${a}.kafka_offset::text, ${a}.received_at, ${a}.envelope`;

/** Newest-first keyset condition on `(time, id)` for the parameters at `$n` (time) and `$n+1` (id). */
export const beforeCursor = (n: number, a = 'e') =>
  `($${n}::timestamptz is null or (${a}.time, ${a}.id) < ($${n}::timestamptz, $${n + 1}::text))`;

export const POSTINGS_OF_EVENTS = `
  select p.id::text, p.entry_id::text, j.event_id, p.account_id, p.currency, p.amount_minor::text, j.booked_at
    from postings p join journal_entries j on j.id = p.entry_id
   where j.event_id = any($1) order by p.id`;

@Injectable()
export class PaymentsRead {
  constructor(private readonly dataSource: DataSource) {}

  list(f: PaymentFilter): Promise<EventRow[]> {
    return this.dataSource.query(
      `select ${eventColumns()} from events e
        where e.type = 'mm.payment.received.v1'
          and ($1::text is null or e.provider_id = $1)
          and ($2::text is null or e.customer_id = $2)
          and ($3::text is null or e.envelope->'data'->'amount'->>'currency' = $3)
          and ($4::timestamptz is null or e.time >= $4)
          and ($5::timestamptz is null or e.time < $5)
          and ${beforeCursor(6)}
          and ($9::text is null or e.msisdn = $9)
          and ($10::text is null or e.transaction_id = $10)
          and ($11::text is null or e.account_number = $11)
        order by e.time desc, e.id desc limit $8`,
      [
        f.providerId ?? null,
        f.customerId ?? null,
        f.currency ?? null,
        f.from ?? null,
        f.to ?? null,
        f.cursor?.time ?? null,
        f.cursor?.id ?? null,
        f.limit + 1,
        f.msisdn ?? null,
        f.transactionId ?? null,
        f.accountNumber ?? null,
      ],
    );
  }

  /** Every event about one payment (normally one; a re-published copy with another id would show here too). */
  async findOne(paymentId: string): Promise<{ events: EventRow[]; postings: PostingRow[] }> {
    const events: EventRow[] = await this.dataSource.query(
      `select ${eventColumns()} from events e where e.subject = $1 and e.type = 'mm.payment.received.v1' order by e.time, e.id`,
      [paymentId],
    );
    if (events.length === 0) return { events, postings: [] };
    const postings: PostingRow[] = await this.dataSource.query(POSTINGS_OF_EVENTS, [events.map((e) => e.id)]);
    return { events, postings };
  }
}
