import { randomInt } from 'node:crypto';
import type { Currency, MmEvent } from '@mm/contracts';
import {
  debitApproved,
  debitDeclined,
  debitFailed,
  debitRequested,
  debitResolved,
  debitUnknown,
  paymentEvent,
} from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

const CURRENCIES: Currency[] = ['RWF', 'KES', 'USD', 'UGX'];

/** Thousands of mixed events, some delivered twice: the balances the ledger derives must be the ones computed here. */
describe('ledger balances after thousands of mixed events', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;

  beforeAll(async () => {
    h = await LedgerHarness.create('balances');
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('books every event once and every account adds up, per currency', async () => {
    const expected = new Map<string, bigint>();
    const add = (account: string, currency: string, minor: bigint) => {
      const key = `${account}|${currency}`;
      expected.set(key, (expected.get(key) ?? 0n) + minor);
    };
    const events: MmEvent[] = [];
    let entries = 0;
    for (let i = 0; i < 3000; i++) {
      const p = paymentEvent({
        providerId: String(200 + (i % 3) * 100),
        customerId: `bal-${i % 25}`,
        currency: CURRENCIES[i % 4]!,
        amountMinor: String(randomInt(1, 1_000_000)),
      });
      add(`provider-clearing:${p.data.providerId}`, p.data.amount.currency, BigInt(p.data.amount.amountMinor));
      add(`customer:${p.data.customerId}`, p.data.amount.currency, -BigInt(p.data.amount.amountMinor));
      events.push(p);
      entries++;
    }
    for (let i = 0; i < 1000; i++) {
      const request = debitRequested({
        accountNumber: `25260000${String(i % 40).padStart(4, '0')}`,
        amountMinor: String(randomInt(100, 500_000)),
      });
      events.push(request);
      const outcome = i % 10;
      if (outcome < 5) {
        const amount = BigInt(request.data.amount.amountMinor);
        const charges = outcome === 0 ? 0n : amount / BigInt(randomInt(10, 50));
        const approved = debitApproved(request, charges.toString());
        add('bixi-settlement', 'USD', amount - charges);
        if (charges > 0n) add('fees:bixi', 'USD', charges);
        add(`payer:${request.data.accountNumber}`, 'USD', -amount);
        events.push(approved);
        entries++;
      } else if (outcome < 7) events.push(debitDeclined(request));
      else if (outcome === 7) events.push(debitFailed(request));
      else if (outcome === 8) {
        // UNKNOWN: the amount leaves the payer into suspense; every other one is settled, out of suspense again.
        const amount = BigInt(request.data.amount.amountMinor);
        events.push(debitUnknown(request));
        add('bixi-suspense', 'USD', amount);
        add(`payer:${request.data.accountNumber}`, 'USD', -amount);
        entries++;
        if (i % 20 === 8) {
          events.push(debitResolved(request, 'DEBITED', '7'));
          add('bixi-settlement', 'USD', amount - 7n);
          add('fees:bixi', 'USD', 7n);
          add('bixi-suspense', 'USD', -amount);
          entries++;
        }
      }
    }
    const redelivered = events.filter((_, i) => i % 9 === 0);
    const env = h.env();
    ledger = await startLedgerApp(env);
    await h.publish(events);
    await h.publish(redelivered);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!, 120_000);

    expect(await h.count(`select count(*)::int as n from ledger.events`)).toBe(events.length);
    expect(await h.count(`select count(*)::int as n from ledger.journal_entries`)).toBe(entries);
    const perCurrency = await h.query<{ currency: string; total: string }>(
      `select currency, sum(amount_minor)::text as total from ledger.postings group by currency`,
    );
    expect(perCurrency.map((r) => r.total)).toEqual(perCurrency.map(() => '0'));
    expect(perCurrency.map((r) => r.currency).sort()).toEqual([...CURRENCIES].sort());
    const rows = await h.query<{ account_id: string; currency: string; balance: string }>(
      `select account_id, currency, sum(amount_minor)::text as balance from ledger.postings group by 1, 2`,
    );
    const actual = new Map(rows.map((r) => [`${r.account_id}|${r.currency}`, BigInt(r.balance)]));
    expect(actual).toEqual(expected);

    // The API reports the same balance as the sums above.
    const res = await fetch(`${ledger.url}/v1/accounts/bixi-settlement`, { headers: { 'X-API-Key': API_KEY } });
    const body = (await res.json()) as { balances: { currency: string; balanceMinor: string }[] };
    expect(body.balances).toEqual([
      expect.objectContaining({ currency: 'USD', balanceMinor: expected.get('bixi-settlement|USD')!.toString() }),
    ]);
  });
});
