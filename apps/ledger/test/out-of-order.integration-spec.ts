import type { MmEvent } from '@mm/contracts';
import { debitApproved, debitDeclined, debitRequested, debitResolved, debitUnknown } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';

/**
 * Two outbox relays (two payment-debit instances) claim disjoint batches and publish them side by side, and a
 * command and its results travel on different topics: the ledger may receive a result before its request, a
 * resolution before the UNKNOWN it settles, and a redelivery after both. The books must come out the same as in order.
 */
describe('events delivered out of order', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let group: string;

  // Created in their natural order, one second apart, as payment-debit would; delivered in reverse below.
  const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
  const timed = <E extends MmEvent>(event: E, s: number): E => Object.assign(event, { time: at(s) });
  const approvedReq = timed(debitRequested({ accountNumber: 'ooo-approved', amountMinor: '1000' }), 0);
  const debitedReq = timed(debitRequested({ accountNumber: 'ooo-debited', amountMinor: '2000' }), 0);
  const notDebitedReq = timed(debitRequested({ accountNumber: 'ooo-not-debited', amountMinor: '4000' }), 0);
  const declinedReq = timed(debitRequested({ accountNumber: 'ooo-declined', amountMinor: '8000' }), 0);
  const approved = timed(debitApproved(approvedReq, '30'), 1);
  const debitedUnknown = timed(debitUnknown(debitedReq), 1);
  const notDebitedUnknown = timed(debitUnknown(notDebitedReq), 1);
  const debited = timed(debitResolved(debitedReq, 'DEBITED', '50'), 2);
  const notDebited = timed(debitResolved(notDebitedReq, 'NOT_DEBITED'), 2);
  const declined = timed(debitDeclined(declinedReq), 1);

  const deliver = async (events: MmEvent[]) => {
    await h.publish(events);
    await h.waitCaughtUp(group);
  };
  const balances = async () =>
    Object.fromEntries(
      (
        await h.query<{ account_id: string; balance: string }>(
          `select account_id, sum(amount_minor)::text as balance from ledger.postings group by account_id`,
        )
      ).map((r) => [r.account_id, r.balance]),
    );
  const unbalancedCurrencies = () =>
    h.count(`select count(*)::int as n from (select currency from ledger.postings group by currency having sum(amount_minor) <> 0) c`);
  const get = async (path: string) =>
    (await (await fetch(`${ledger.url}${path}`, { headers: { 'X-API-Key': API_KEY } })).json()) as Record<string, unknown>;

  beforeAll(async () => {
    h = await LedgerHarness.create('out-of-order');
    const env = h.env();
    group = env.LEDGER_CONSUMER_GROUP!;
    ledger = await startLedgerApp(env);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('books results that arrive before their requests and resolutions before their UNKNOWNs', async () => {
    await deliver([debited, notDebited, approved, declined]);

    expect(await unbalancedCurrencies()).toBe(0);
    expect(await balances()).toEqual({
      'bixi-settlement': String(970 + 1950),
      'fees:bixi': String(30 + 50),
      'payer:ooo-approved': '-1000',
      'payer:ooo-not-debited': '4000',
      // Suspense is emptied before it was filled: negative until the UNKNOWNs arrive.
      'bixi-suspense': String(-2000 - 4000),
    });
  });

  it('comes out as if in order once the UNKNOWNs, the requests and a redelivery arrive', async () => {
    await deliver([debitedUnknown, notDebitedUnknown]);
    await deliver([approvedReq, debitedReq, notDebitedReq, declinedReq, debited, approved]);

    expect(await unbalancedCurrencies()).toBe(0);
    expect(await balances()).toEqual({
      'bixi-settlement': String(970 + 1950),
      'fees:bixi': String(30 + 50),
      'payer:ooo-approved': '-1000',
      'payer:ooo-debited': '-2000',
      'payer:ooo-not-debited': '0',
      'bixi-suspense': '0',
    });
    expect(await h.count(`select count(*)::int as n from ledger.events`)).toBe(10);
    // A command's state is its latest result by event time, not by arrival.
    const states = await Promise.all(
      [approvedReq, debitedReq, notDebitedReq, declinedReq].map((r) => get(`/v1/debits/${r.data.commandId}`)),
    );
    expect(states.map((s) => s.state)).toEqual(['APPROVED', 'APPROVED', 'NOT_DEBITED', 'DECLINED']);
    expect((await get('/v1/suspense')).items).toEqual([]);
  });
});
