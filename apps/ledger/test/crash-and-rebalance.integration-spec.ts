import { initialiseDataSource } from '@mm/platform';
import { startService, waitFor } from '@mm/testing';
import type { DataSource } from 'typeorm';
import { ledgerDataSourceOptions } from '../src/data-source';
import { PgEventStore } from '../src/record-events/postgres/event-store.pg';
import { book } from '../src/postings/chart-of-accounts';
import { paymentEvent } from './support/events.factory';
import { LEDGER_ENTRY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

/** Crashes between the two commits, and consumers joining and leaving the group mid-stream. */
describe('ledger consumer: crashes and rebalances', () => {
  let h: LedgerHarness;

  beforeAll(async () => {
    h = await LedgerHarness.create('crash');
  });

  afterAll(async () => {
    await h?.close();
  });

  const stats = async (ids: string[]) => {
    const [row] = await h.query<{ events: number; entries: number; postings: number }>(
      `select (select count(*)::int from ledger.events where id = any($1)) as events,
              (select count(*)::int from ledger.journal_entries where event_id = any($1)) as entries,
              (select count(*)::int from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id where j.event_id = any($1)) as postings`,
      [ids],
    );
    return row;
  };

  it('a batch committed to the database whose offsets were never committed is redelivered and books nothing twice', async () => {
    const events = Array.from({ length: 300 }, (_, i) => paymentEvent({ customerId: `crash-${i % 7}` }));
    await h.publish(events);
    // The state a crash right after the database commit leaves behind: rows stored, offsets not committed.
    const dataSource: DataSource = await initialiseDataSource(
      ledgerDataSourceOptions({ DATABASE_URL: h.db.url, DATABASE_SCHEMA: 'ledger', DATABASE_POOL_SIZE: 2 }, true),
    );
    try {
      const stored = await new PgEventStore(dataSource).persist(
        events.map((event, i) => {
          const booking = book(event);
          if (!booking.ok) throw new Error(booking.reason);
          return { event, raw: JSON.stringify(event), topic: h.topicOf(event), partition: 0, offset: String(i), lines: booking.lines };
        }),
      );
      expect(stored).toHaveLength(300);
    } finally {
      await dataSource.destroy();
    }
    const env = h.env();
    const ledger = await startLedgerApp(env);
    try {
      await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
      expect(await stats(events.map((e) => e.id))).toEqual({ events: 300, entries: 300, postings: 600 });
      const metrics = await (await fetch(`${ledger.url}/metrics`)).text();
      // Proof the consumer really saw all 300 again: every one of them was counted as a duplicate.
      expect(sumMetric(metrics, 'ledger_events_duplicate_total')).toBe(300);
      expect(sumMetric(metrics, 'ledger_events_stored_total')).toBe(0);
    } finally {
      await ledger.close();
    }
  });

  it('a ledger process killed (SIGKILL) mid-load and restarted stores every event exactly once', async () => {
    const events = Array.from({ length: 6000 }, (_, i) => paymentEvent({ customerId: `kill-${i % 50}`, amountMinor: String(1 + i) }));
    const ids = events.map((e) => e.id);
    await h.publish(events);
    const env = h.env({ LEDGER_MAX_BYTES_PER_PARTITION: String(64 * 1024) }); // small batches: many commits to crash between
    const first = await startService('ledger', LEDGER_ENTRY, env);
    await waitFor(async () => ((await stats(ids))!.events > 0 ? true : undefined), 30_000, 20);
    await first.kill();
    const atCrash = (await stats(ids))!;
    expect(atCrash.events).toBeLessThan(6000); // it really died mid-load
    expect(atCrash.postings).toBe(atCrash.events * 2); // and never left an event without its postings

    const second = await startService('ledger', LEDGER_ENTRY, env);
    try {
      await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
      expect(await stats(ids)).toEqual({ events: 6000, entries: 6000, postings: 12000 });
    } finally {
      await second.stop();
    }
  });

  it('two consumers in one group, joining and leaving mid-stream, store each event once', async () => {
    const env = h.env();
    const events = Array.from({ length: 3000 }, (_, i) => paymentEvent({ customerId: `rebalance-${i % 30}` }));
    const ids = events.map((e) => e.id);
    const a = await startLedgerApp(env);
    let b: Awaited<ReturnType<typeof startLedgerApp>> | undefined;
    try {
      await h.publish(events.slice(0, 1000));
      b = await startLedgerApp(env); // joins: the group rebalances while events are in flight
      await h.publish(events.slice(1000, 2000));
      await a.close(); // leaves: its partitions move to b
      await h.publish(events.slice(2000));
      await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
      expect(await stats(ids)).toEqual({ events: 3000, entries: 3000, postings: 6000 });
      const metrics = await (await fetch(`${b.url}/metrics`)).text();
      expect(sumMetric(metrics, 'ledger_events_stored_total')).toBeGreaterThan(0); // b took over partitions
    } finally {
      await a.close().catch(() => undefined);
      await b?.close();
    }
  });
});

function sumMetric(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
