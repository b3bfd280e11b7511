import { createTestDatabase, createTestRole, freePort, queryError, queryOnce, type TestDatabase, type TestRole } from '@mm/testing';
import { OutboxHousekeepingService } from '@mm/platform';
import { send, signedNotification } from './support/bboxx-client';
import { SECRET, startIngest, type RunningIngest } from './support/ingest-harness';

/** Least privilege: the owner migrates; ingest serves as a role that appends notifications and works its outbox. */
describe('ingest with separate migration and runtime roles', () => {
  let db: TestDatabase;
  let role: TestRole;
  let runtimeUrl: string;
  let ingest: RunningIngest | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('ingest_roles');
    role = await createTestRole('ingest_rt');
    runtimeUrl = role.urlFor(db.url);
    // No broker: nothing is published onto the shared topic; the outbox rows stay for the test to work on.
    ingest = await startIngest(runtimeUrl, {
      DATABASE_MIGRATION_URL: db.url,
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      OUTBOX_RETENTION_HOURS: '0',
    });
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop(); // with it every privilege the role held
    await role?.drop();
  });

  it('stores a notification and its outbox row, marks the row sent and purges it, all as the runtime role', async () => {
    const notification = signedNotification(SECRET);
    expect((await send(ingest!.url, notification)).status).toBe(200);
    expect(
      await queryError(runtimeUrl, `update ingest.outbox set sent_at = now() - interval '1 hour' where sent_at is null`),
    ).toBeUndefined();
    expect(await ingest!.app.get(OutboxHousekeepingService).purge()).toBe(1);
    expect(await queryOnce(db.url, 'select count(*)::int as n from ingest.notifications')).toEqual([{ n: 1 }]);
    expect(
      await queryOnce(
        db.url,
        `select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'ingest'::regnamespace`,
      ),
    ).toEqual([{ owner: 'postgres' }]);
  });

  it.each([
    ['update ingest.notifications set response = response'],
    ['delete from ingest.notifications'],
    ['truncate ingest.outbox'],
    ['drop table ingest.notifications'],
    ['alter table ingest.outbox add column x int'],
    ['create table ingest.shadow (id int)'],
    ['select count(*) from ingest.migrations'],
  ])('the runtime role is refused: %s', async (statement) => {
    expect(await queryError(runtimeUrl, statement)).toMatchObject({ code: '42501' });
  });
});
