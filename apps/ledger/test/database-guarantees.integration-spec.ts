import { adminDatabaseUrl, queryOnce, waitFor } from '@mm/testing';
import { Client } from 'pg';
import { paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';

/** What the database itself guarantees (whatever the application does), and the ledger riding out its outage. */
describe('ledger database', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await LedgerHarness.create('dbguard');
    env = h.env();
    ledger = await startLedgerApp(env); // runs the real migrations
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  /** Runs statements in one transaction on the test database; resolves with the error, if any. */
  async function attempt(...statements: string[]): Promise<{ code?: string; message: string } | undefined> {
    const c = new Client({ connectionString: h.db.url });
    await c.connect();
    try {
      await c.query('begin');
      for (const s of statements) await c.query(s);
      await c.query('commit');
      return undefined;
    } catch (error) {
      await c.query('rollback').catch(() => undefined);
      return error as { code?: string; message: string };
    } finally {
      await c.end();
    }
  }

  const seedEvent = (id: string) =>
    `insert into ledger.events (id, type, source, subject, time, correlation_id, topic, kafka_partition, kafka_offset, envelope)
     values ('${id}', 'mm.payment.received.v1', '/t', 's', now(), 'c', 't', 0, 0, '{}')`;

  it('refuses a journal entry whose postings do not balance', async () => {
    const error = await attempt(
      seedEvent('unbalanced-1'),
      `insert into ledger.accounts (id) values ('a'), ('b') on conflict do nothing`,
      `insert into ledger.journal_entries (id, event_id) values (900001, 'unbalanced-1')`,
      `insert into ledger.postings (entry_id, account_id, currency, amount_minor) values (900001, 'a', 'RWF', 100), (900001, 'b', 'RWF', -99)`,
    );
    expect(error).toMatchObject({ code: '23514', message: expect.stringMatching(/does not balance in RWF/) });
    expect(await h.count(`select count(*)::int as n from ledger.events where id = 'unbalanced-1'`)).toBe(0);
  });

  it('refuses an entry that balances in total but not per currency', async () => {
    const error = await attempt(
      seedEvent('unbalanced-2'),
      `insert into ledger.accounts (id) values ('a'), ('b') on conflict do nothing`,
      `insert into ledger.journal_entries (id, event_id) values (900002, 'unbalanced-2')`,
      `insert into ledger.postings (entry_id, account_id, currency, amount_minor) values (900002, 'a', 'RWF', 100), (900002, 'b', 'KES', -100)`,
    );
    expect(error).toMatchObject({ code: '23514' });
  });

  it('refuses any UPDATE, DELETE or TRUNCATE of events, journal entries and postings', async () => {
    const event = paymentEvent({ customerId: 'immutable' });
    await h.publish([event]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    const attempts = [
      `update ledger.events set envelope = '{}' where id = '${event.id}'`,
      `delete from ledger.events where id = '${event.id}'`,
      `update ledger.postings set amount_minor = amount_minor * 2`,
      `delete from ledger.postings`,
      `update ledger.journal_entries set event_id = event_id`,
      `delete from ledger.journal_entries`,
      `truncate ledger.postings`,
      `truncate ledger.events cascade`,
    ];
    for (const statement of attempts) {
      expect(await attempt(statement)).toMatchObject({ code: '55000', message: expect.stringMatching(/append-only/) });
    }
    expect(
      await h.count(
        `select count(*)::int as n from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id where j.event_id = $1`,
        [event.id],
      ),
    ).toBe(2);
  });

  it('with the database unreachable during batches, commits nothing, then stores everything once it is back', async () => {
    const group = env.LEDGER_CONSUMER_GROUP!;
    const warmup = paymentEvent({ customerId: 'outage' });
    await h.publish([warmup]);
    await h.waitCaughtUp(group);
    const committedBefore = await committedOffsets(h, group);

    // Database "down" for this service only: refuse new connections to its database and cut the ones it has.
    await onServer(`alter database "${h.db.name}" with allow_connections false`);
    await onServer(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [h.db.name]);
    const during = Array.from({ length: 200 }, (_, i) => paymentEvent({ customerId: `outage-${i % 5}` }));
    try {
      await h.publish(during);
      await new Promise((r) => setTimeout(r, 5000)); // several failed attempts at those batches
      expect(await committedOffsets(h, group)).toEqual(committedBefore); // nothing acknowledged while nothing was stored
    } finally {
      await onServer(`alter database "${h.db.name}" with allow_connections true`);
    }
    await h.waitCaughtUp(group, 90_000);
    const ids = during.map((e) => e.id);
    expect(await h.count(`select count(*)::int as n from ledger.events where id = any($1)`, [ids])).toBe(200);
    expect(await h.count(`select count(*)::int as n from ledger.journal_entries where event_id = any($1)`, [ids])).toBe(200);
    const ready = await waitFor(async () => ((await fetch(`${ledger.url}/health/ready`)).status === 200 ? true : undefined));
    expect(ready).toBe(true);
  });
});

async function onServer(sql: string, params: unknown[] = []): Promise<void> {
  await queryOnce(adminDatabaseUrl(), sql, params);
}

async function committedOffsets(h: LedgerHarness, groupId: string): Promise<string[]> {
  const topics = [h.topics.payments, h.topics.requests, h.topics.results];
  const committed = await h.admin.fetchOffsets({ groupId, topics });
  return committed.flatMap((t) => t.partitions.map((p) => `${t.topic}/${p.partition}=${p.offset}`)).sort();
}
