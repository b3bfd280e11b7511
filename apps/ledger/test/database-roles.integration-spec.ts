import { createTestRole, queryError, queryOnce, type TestRole } from '@mm/testing';
import { paymentEvent } from './support/events.factory';
import { API_KEY, LedgerHarness, startLedgerApp } from './support/ledger-harness';
import { operatorClient, operatorToken } from './support/operators';

/**
 * Least privilege: the owner role (DATABASE_MIGRATION_URL, here the superuser) migrates and owns the tables and
 * triggers; the ledger serves as a role that can only read and append, so it can neither rewrite history nor switch
 * the append-only and balance triggers off.
 */
describe('ledger with separate migration and runtime roles', () => {
  let h: LedgerHarness;
  let role: TestRole;
  let runtimeUrl: string;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>> | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await LedgerHarness.create('roles');
    role = await createTestRole('ledger_rt');
    runtimeUrl = role.urlFor(h.db.url);
    env = h.env({ DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: h.db.url });
    ledger = await startLedgerApp(env);
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close(); // drops the database, and with it every privilege the role held
    await role?.drop();
  });

  it('migrates as the owner: schema, tables and trigger functions belong to it, not to the runtime role', async () => {
    const owners = await queryOnce<{ owner: string }>(
      h.db.url,
      `select distinct pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'ledger'
       union select pg_get_userbyid(p.proowner) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'ledger'
       union select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'ledger'`,
    );
    expect(owners).toEqual([{ owner: 'postgres' }]);
  });

  it('books events as the runtime role: the consumer appends events, entries and postings, the API reads them', async () => {
    const event = paymentEvent({ customerId: 'least-privilege', amountMinor: '1500' });
    await h.publish([event]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    expect(
      await h.count(
        `select count(*)::int as n from ledger.postings p join ledger.journal_entries j on j.id = p.entry_id where j.event_id = $1`,
        [event.id],
      ),
    ).toBe(2);
    const res = await fetch(`${ledger!.url}/v1/payments/${event.data.paymentId}`, { headers: { 'X-API-Key': API_KEY } });
    expect(res.status).toBe(200);
    const active = await queryOnce<{ usename: string }>(
      h.db.url,
      `select distinct usename from pg_stat_activity where datname = current_database() and application_name = 'ledger'`,
    );
    expect(active).toEqual([{ usename: role.name }]);
  });

  it('decides a correction as the runtime role: proposal, approval, outbox row and audit; a decided one never changes', async () => {
    const event = paymentEvent({ customerId: 'least-privilege-correction', amountMinor: '900' });
    await h.publish([event]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    const call = operatorClient(() => ledger!.url);
    const body = { eventId: event.id, amount: { amountMinor: '900', currency: 'RWF' }, reason: 'duplicate' };
    const proposed = await call('POST', '/v1/corrections', await operatorToken('alice', ['maker']), body);
    expect(proposed.status).toBe(201);
    const approved = await call('POST', `/v1/corrections/${proposed.body.id as string}/approve`, await operatorToken('bob', ['checker']));
    expect(approved).toMatchObject({ status: 200, body: { state: 'APPROVED' } });
    expect(await h.count(`select count(*)::int as n from ledger.outbox where event_id = $1`, [approved.body.correctionId])).toBe(1);
    expect(
      await h.count(`select count(*)::int as n from ledger.operator_actions where subject = $1`, [
        `correction:${proposed.body.id as string}`,
      ]),
    ).toBe(2);
    expect(await queryError(runtimeUrl, `update ledger.correction_proposals set amount_minor = 1, state = 'PROPOSED'`)).toMatchObject({
      code: '55000',
    });
  });

  it.each([
    ['update ledger.events set envelope = envelope'],
    ['delete from ledger.events'],
    ['update ledger.postings set amount_minor = amount_minor'],
    ['delete from ledger.postings'],
    ['delete from ledger.journal_entries'],
    ['truncate ledger.postings'],
    ['update ledger.operator_actions set reason = null'],
    ['delete from ledger.operator_actions'],
    ['delete from ledger.correction_proposals'],
    ['truncate ledger.correction_proposals'],
    ['truncate ledger.outbox'],
    ['drop trigger correction_proposals_decided_once on ledger.correction_proposals'],
    ['drop trigger events_append_only on ledger.events'],
    ['drop trigger postings_balanced on ledger.postings'],
    ['alter table ledger.events disable trigger events_append_only'],
    ['alter table ledger.postings disable trigger all'],
    ['drop table ledger.postings'],
    ['drop function ledger.ledger_forbid_change() cascade'],
    ['create table ledger.shadow (id int)'],
    ['select count(*) from ledger.migrations'],
  ])('the runtime role is refused: %s', async (statement) => {
    expect(await queryError(runtimeUrl, statement)).toMatchObject({ code: '42501' });
  });

  it('the triggers are all still there and enabled', async () => {
    const triggers = await queryOnce<{ tgname: string; tgenabled: string }>(
      h.db.url,
      `select tgname, tgenabled from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'ledger' and not tgisinternal order by tgname`,
    );
    expect(triggers.map((t) => t.tgname)).toEqual(
      expect.arrayContaining([
        'events_append_only',
        'postings_append_only',
        'journal_entries_append_only',
        'postings_balanced',
        'correction_proposals_decided_once',
      ]),
    );
    expect(triggers.every((t) => t.tgenabled === 'O')).toBe(true);
  });
});
