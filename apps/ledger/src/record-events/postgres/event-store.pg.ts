import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isBalanced } from '../../postings/chart-of-accounts';
import type { EventStore, IncomingEvent } from '../event-store';

/**
 * One transaction per batch: a multi-row `insert … on conflict (id) do nothing returning id`, then journal
 * entries and postings only for the events that were new. Redelivered events therefore book nothing twice.
 * Rows and account ids are written in sorted order so that batches of different partitions, committed
 * concurrently, take their row locks in the same order and cannot deadlock.
 */
@Injectable()
export class PgEventStore implements EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async persist(batch: IncomingEvent[]): Promise<string[]> {
    if (batch.length === 0) return [];
    for (const b of batch) if (!isBalanced(b.lines)) throw new Error(`event ${b.event.id} produced unbalanced postings`);
    const unique = [...new Map(batch.map((b) => [b.event.id, b])).values()].sort((a, b) => (a.event.id < b.event.id ? -1 : 1));
    return this.dataSource.transaction((tx) => storeEvents(tx, unique));
  }
}

/**
 * Stores events (distinct ids, sorted) and books the postings of those that were new, in the caller's transaction;
 * returns the new ids. Corrections (correct-entry) use it too, once their lines are computed under their lock.
 */
export async function storeEvents(tx: EntityManager, unique: IncomingEvent[]): Promise<string[]> {
  // The envelopes travel as one JSON array built from the bytes received (already valid JSON): a jsonb[]
  // parameter made node-postgres escape and PostgreSQL unescape every envelope, half of the batch's time.
  const inserted: { id: string }[] = await tx.query(
    `insert into events (id, type, source, subject, time, correlation_id, causation_id, topic, kafka_partition, kafka_offset, envelope)
       select e.value->>'id', e.value->>'type', e.value->>'source', e.value->>'subject', (e.value->>'time')::timestamptz,
              e.value->>'correlationid', e.value->>'causationid', m.topic, m.kafka_partition, m.kafka_offset, e.value
         from jsonb_array_elements($1::jsonb) with ordinality as e(value, n)
         join unnest($2::text[], $3::int[], $4::bigint[]) with ordinality as m(topic, kafka_partition, kafka_offset, n) using (n)
       on conflict (id) do nothing
       returning id`,
    [`[${unique.map((b) => b.raw).join(',')}]`, unique.map((b) => b.topic), unique.map((b) => b.partition), unique.map((b) => b.offset)],
  );
  const fresh = new Set(inserted.map((r) => r.id));
  await bookPostings(
    tx,
    unique.filter((b) => fresh.has(b.event.id) && b.lines.length > 0),
  );
  return [...fresh];
}

/**
 * Accounts, journal entries and postings in one statement (one round trip), the lines as one JSON document.
 * The foreign keys and the balance trigger fire at the end of the statement and see the rows of its CTEs.
 */
async function bookPostings(tx: EntityManager, booked: IncomingEvent[]): Promise<void> {
  if (booked.length === 0) return;
  const lines = booked
    .flatMap((b) => b.lines.map((l) => ({ e: b.event.id, a: l.accountId, c: l.currency, m: l.amountMinor })))
    .map((l, n) => `{"n":${n},"e":${JSON.stringify(l.e)},"a":${JSON.stringify(l.a)},"c":"${l.c}","m":${l.m}}`);
  await tx.query(
    `with lines as (select * from jsonb_to_recordset($1::jsonb) as l(n int, e text, a text, c text, m bigint)),
          new_accounts as (insert into accounts (id) select distinct a from lines order by a on conflict (id) do nothing),
          entries as (insert into journal_entries (event_id) select e from lines group by e order by min(n) returning id, event_id)
     insert into postings (entry_id, account_id, currency, amount_minor)
     select entries.id, lines.a, lines.c, lines.m from lines join entries on entries.event_id = lines.e order by lines.n`,
    [`[${lines.join(',')}]`],
  );
}
