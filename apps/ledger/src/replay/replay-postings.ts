import { LEDGER_CORRECTION_APPROVED, parseEvent, type MmEvent, type ParseResult } from '@mm/contracts';
import type { Client } from 'pg';
import { bookCorrection } from '../correct-entry/book-correction';
import { book, type Booking } from '../postings/chart-of-accounts';

export interface ReplayOptions {
  schema: string;
  batchSize: number;
  keepScratch: boolean;
  log: (line: string) => void;
}

export interface BalanceDiff {
  accountId: string;
  currency: string;
  live: string | null;
  replayed: string | null;
}

export interface ReplayReport {
  events: number;
  unbookable: string[];
  balances: BalanceDiff[];
  differingBalances: BalanceDiff[];
  differingLines: number;
  identical: boolean;
}

/**
 * Rebuilds the postings projection from the `events` table alone into a scratch schema, with the same
 * chart of accounts the consumer uses, then compares it with the live postings: balances per account and
 * currency, and every posting line per event (so two errors that cancel out in a balance still show).
 */
export async function replayPostings(db: Client, o: ReplayOptions): Promise<ReplayReport> {
  const live = db.escapeIdentifier(o.schema);
  const scratch = db.escapeIdentifier(`${o.schema}_replay_${Date.now()}`);
  await db.query(`create schema ${scratch}`);
  try {
    await db.query(
      `create unlogged table ${scratch}.postings (event_id text not null, account_id text not null, currency text not null, amount_minor bigint not null)`,
    );
    const [{ total }] = (await db.query<{ total: number }>(`select count(*)::int as total from ${live}.events`)).rows as [
      { total: number },
    ];
    o.log(`replaying ${total} events from ${o.schema}.events into ${scratch}`);
    const unbookable: string[] = [];
    const corrections = new CorrectionReplay(db, live);
    let done = 0;
    let after = '';
    for (;;) {
      const { rows } = await db.query<{ id: string; envelope: string }>(
        `select id, envelope::text as envelope from ${live}.events where id > $1 order by id limit $2`,
        [after, o.batchSize],
      );
      if (rows.length === 0) break;
      const lines: { event: string; account: string; currency: string; minor: string }[] = [];
      for (const row of rows) {
        const parsed = parseEvent(row.envelope);
        const booking = await corrections.book(parsed);
        if (!booking.ok) unbookable.push(`${row.id}: ${booking.reason}`);
        else
          for (const l of booking.lines)
            lines.push({ event: row.id, account: l.accountId, currency: l.currency, minor: l.amountMinor.toString() });
      }
      await db.query(`insert into ${scratch}.postings select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`, [
        lines.map((l) => l.event),
        lines.map((l) => l.account),
        lines.map((l) => l.currency),
        lines.map((l) => l.minor),
      ]);
      done += rows.length;
      after = rows[rows.length - 1]!.id;
      o.log(`  ${done}/${total} events (${total ? Math.floor((done * 100) / total) : 100}%)`);
    }
    const balances = await compareBalances(db, live, scratch);
    const differingBalances = balances.filter((b) => b.live !== b.replayed);
    const differingLines = await compareLines(db, live, scratch);
    return {
      events: done,
      unbookable,
      balances,
      differingBalances,
      differingLines,
      identical: differingBalances.length === 0 && differingLines === 0 && unbookable.length === 0,
    };
  } finally {
    if (o.keepScratch) o.log(`scratch projection kept in schema ${scratch}`);
    else await db.query(`drop schema ${scratch} cascade`);
  }
}

/**
 * Books stored events as the consumer did: a correction against its original (read from the live events) and the
 * corrections of that original replayed before it, every other event on its own.
 */
class CorrectionReplay {
  private readonly reversed = new Map<string, bigint>();

  constructor(
    private readonly db: Client,
    private readonly live: string,
  ) {}

  async book(parsed: ParseResult): Promise<Booking> {
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    if (parsed.event.type !== LEDGER_CORRECTION_APPROVED) return book(parsed.event);
    const { originalEventId, amount } = parsed.event.data;
    const { rows } = await this.db.query<{ envelope: string }>(`select envelope::text as envelope from ${this.live}.events where id = $1`, [
      originalEventId,
    ]);
    const original = rows[0] ? parseEvent(rows[0].envelope) : undefined;
    const before = this.reversed.get(originalEventId) ?? 0n;
    const booking = bookCorrection(parsed.event, original?.ok ? (original.event as MmEvent) : undefined, before);
    if (booking.ok) this.reversed.set(originalEventId, before + BigInt(amount.amountMinor));
    return booking;
  }
}

async function compareBalances(db: Client, live: string, scratch: string): Promise<BalanceDiff[]> {
  const { rows } = await db.query<{ account_id: string; currency: string; live: string | null; replayed: string | null }>(
    `with l as (select account_id, currency::text as currency, sum(amount_minor)::text as s from ${live}.postings group by 1, 2),
          r as (select account_id, currency, sum(amount_minor)::text as s from ${scratch}.postings group by 1, 2)
     select account_id, currency, l.s as live, r.s as replayed from l full join r using (account_id, currency) order by 1, 2`,
  );
  return rows.map((r) => ({ accountId: r.account_id, currency: r.currency, live: r.live, replayed: r.replayed }));
}

/** Posting lines present on one side only (as a multiset of event, account, currency, amount). */
async function compareLines(db: Client, live: string, scratch: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `with l as (select j.event_id, p.account_id, p.currency::text as currency, p.amount_minor, count(*) as c
                  from ${live}.postings p join ${live}.journal_entries j on j.id = p.entry_id group by 1, 2, 3, 4),
          r as (select event_id, account_id, currency, amount_minor, count(*) as c from ${scratch}.postings group by 1, 2, 3, 4)
     select count(*)::int as n from l full join r using (event_id, account_id, currency, amount_minor) where l.c is distinct from r.c`,
  );
  return rows[0]?.n ?? 0;
}
