import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isBalanced, postingsFor } from '../postings/chart-of-accounts';
import type { EventStore, IncomingEvent } from './event-store';

/**
 * One transaction per batch: a multi-row `insert … on conflict (id) do nothing returning id`, then journal
 * entries and postings only for the events that were new. Redelivered events therefore book nothing twice.
 */
@Injectable()
export class PgEventStore implements EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async persist(batch: IncomingEvent[]): Promise<string[]> {
    if (batch.length === 0) return [];
    const unique = [...new Map(batch.map((b) => [b.event.id, b])).values()];
    return this.dataSource.transaction(async (tx) => {
      const inserted: { id: string }[] = await tx.query(
        `insert into events (id, type, source, subject, time, correlation_id, causation_id, topic, kafka_partition, kafka_offset, envelope)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                              $8::text[], $9::int[], $10::bigint[], $11::jsonb[])
         on conflict (id) do nothing
         returning id`,
        [
          unique.map((b) => b.event.id),
          unique.map((b) => b.event.type),
          unique.map((b) => b.event.source),
          unique.map((b) => b.event.subject),
          unique.map((b) => b.event.time),
          unique.map((b) => b.event.correlationid),
          unique.map((b) => b.event.causationid ?? null),
          unique.map((b) => b.topic),
          unique.map((b) => b.partition),
          unique.map((b) => b.offset),
          unique.map((b) => JSON.stringify(b.event)),
        ],
      );
      const fresh = new Set(inserted.map((r) => r.id));
      const entries = unique.filter((b) => fresh.has(b.event.id)).map((b) => ({ id: b.event.id, lines: postingsFor(b.event) }));
      const withLines = entries.filter((e) => e.lines.length > 0);
      if (withLines.length > 0) {
        for (const e of withLines) if (!isBalanced(e.lines)) throw new Error(`event ${e.id} produced unbalanced postings`);
        const accounts = [...new Set(withLines.flatMap((e) => e.lines.map((l) => l.accountId)))];
        await tx.query(`insert into accounts (id) select unnest($1::text[]) on conflict (id) do nothing`, [accounts]);
        const ids: { id: string; event_id: string }[] = await tx.query(
          `insert into journal_entries (event_id) select unnest($1::text[]) returning id, event_id`,
          [withLines.map((e) => e.id)],
        );
        const entryOf = new Map(ids.map((r) => [r.event_id, r.id]));
        const rows = withLines.flatMap((e) => e.lines.map((l) => ({ entry: entryOf.get(e.id)!, ...l })));
        await tx.query(
          `insert into postings (entry_id, account_id, currency, amount_minor)
           select * from unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[])`,
          [rows.map((r) => r.entry), rows.map((r) => r.accountId), rows.map((r) => r.currency), rows.map((r) => r.amountMinor.toString())],
        );
      }
      return [...fresh];
    });
  }
}
