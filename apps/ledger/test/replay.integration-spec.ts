import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { MmEvent } from '@mm/contracts';
import {
  debitApproved,
  debitDeclined,
  debitExpired,
  debitRequested,
  debitResolved,
  debitUnknown,
  paymentEvent,
} from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';

const REPLAY = join(__dirname, '..', 'dist', 'cli', 'replay.js');

/** The replay tool rebuilds postings from `events` alone and must agree with the live projection, or say where not. */
describe('replay tool', () => {
  let h: LedgerHarness;

  beforeAll(async () => {
    h = await LedgerHarness.create('replay');
    const env = h.env();
    const ledger = await startLedgerApp(env);
    try {
      const events: MmEvent[] = [];
      for (let i = 0; i < 400; i++) {
        events.push(
          paymentEvent({
            providerId: String(200 + (i % 2)),
            customerId: `replay-${i % 9}`,
            amountMinor: String(10 + i),
            currency: i % 3 ? 'RWF' : 'KES',
          }),
        );
        const request = debitRequested({ accountNumber: `replay-payer-${i % 5}`, amountMinor: String(100 + i) });
        // Among the rest: UNKNOWNs (half of them settled later, out of suspense to Bixi or back to the payer), declines, expiries.
        const other = [debitUnknown(request), debitDeclined(request), debitUnknown(request), debitExpired(request)][(i / 4) % 4]!;
        events.push(request, i % 4 ? debitApproved(request, String(i % 7)) : other);
        if (i % 16 === 0) events.push(debitResolved(request, i % 32 ? 'NOT_DEBITED' : 'DEBITED', String(i % 7)));
      }
      await h.publish(events);
      await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    } finally {
      await ledger.close();
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  const replay = () =>
    spawnSync(process.execPath, [REPLAY], {
      env: { ...process.env, DATABASE_URL: h.db.url, REPLAY_BATCH_SIZE: '250' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('rebuilds identical balances from the events, with progress, and exits 0', async () => {
    const run = replay();
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/replaying 1225 events/);
    expect(run.stdout).toMatch(/250\/1225 events \(20%\)/);
    expect(run.stdout).toMatch(/1225\/1225 events \(100%\)/);
    expect(run.stdout).toMatch(/identical: 1225 events/);
    expect(run.stdout).toMatch(/customer:replay-0\s+KES\s+-\d+\s+-\d+/);
    expect(run.status).toBe(0);
    const schemas = await h.query(`select nspname from pg_namespace where nspname like 'ledger_replay_%'`);
    expect(schemas).toEqual([]); // the scratch projection is dropped
  });

  it('exits 1 and points at the account when a stored entry disagrees with its event', async () => {
    // A balanced entry that nevertheless books 150 for an event that says 100: only a replay can catch it.
    const event = paymentEvent({ providerId: '999', customerId: 'tampered', amountMinor: '100' });
    await h.query(
      `with e as (insert into ledger.events (id, type, source, subject, time, correlation_id, topic, kafka_partition, kafka_offset, envelope)
                  values ($1, $2, $3, $4, $5, $6, 'manual', 0, 0, $7::jsonb) returning id),
            a as (insert into ledger.accounts (id) values ('provider-clearing:999'), ('customer:tampered')),
            j as (insert into ledger.journal_entries (event_id) select id from e returning id)
       insert into ledger.postings (entry_id, account_id, currency, amount_minor)
       select j.id, x.account, 'RWF', x.amount from j, (values ('provider-clearing:999', 150), ('customer:tampered', -150)) as x(account, amount)`,
      [event.id, event.type, event.source, event.subject, event.time, event.correlationid, JSON.stringify(event)],
    );
    const run = replay();
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/provider-clearing:999\s+RWF\s+150\s+100\s+<- differs/);
    expect(run.stdout).toMatch(/DIFFERENT: 2 balances, 4 posting lines/);
  });
});
