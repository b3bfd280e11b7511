import { createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dataSourceOptions } from './database';
import { migrateDatabase, runtimeRoleOf } from './database-migration';

class CreateThing1700000000000 implements MigrationInterface {
  name = 'CreateThing1700000000000';
  async up(q: QueryRunner) {
    await q.query('create table thing (id int primary key)');
  }
  async down(q: QueryRunner) {
    await q.query('drop table thing');
  }
}

class Broken1700000000001 implements MigrationInterface {
  name = 'Broken1700000000001';
  async up(q: QueryRunner) {
    await q.query('select 1 / 0');
  }
  async down() {}
}

/** Slow enough that a second migrator arrives while the first still holds the lock; fails if it ever runs twice. */
class SlowCreate1700000000002 implements MigrationInterface {
  name = 'SlowCreate1700000000002';
  async up(q: QueryRunner) {
    await q.query('select pg_sleep(0.5)');
    await q.query('create table slow_thing (id int primary key)');
  }
  async down(q: QueryRunner) {
    await q.query('drop table slow_thing');
  }
}

describe('migrateDatabase', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('platform_migrate');
  });

  afterAll(async () => {
    await db?.drop();
  });

  const options = (migrations: (new () => MigrationInterface)[]) =>
    dataSourceOptions({
      url: db.url,
      schema: 'svc',
      entities: [],
      migrations,
      applicationName: 'platform-test',
      poolSize: 2,
    }) as Parameters<typeof migrateDatabase>[0];
  const advisoryLocks = () =>
    queryOnce(
      db.url,
      `select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
    );

  it('releases the migration lock when a migration fails, so the next run (a fixed release) migrates', async () => {
    await expect(migrateDatabase(options([CreateThing1700000000000, Broken1700000000001]))).rejects.toThrow(/division by zero/);
    expect(await advisoryLocks()).toHaveLength(0);
    await migrateDatabase(options([CreateThing1700000000000]));
    expect(await queryOnce(db.url, 'select name from svc.migrations')).toEqual([{ name: 'CreateThing1700000000000' }]);
    expect(await advisoryLocks()).toHaveLength(0);
  });

  it('migrates once when two migrators start together on a fresh database: one runs everything, the other finds none', async () => {
    const fresh = await createTestDatabase('platform_migrate_race');
    try {
      const raceOptions = { ...options([CreateThing1700000000000, SlowCreate1700000000002]), url: fresh.url, schema: 'race' };
      const results = await Promise.all([migrateDatabase(raceOptions), migrateDatabase(raceOptions)]);
      expect(results.map((r) => r.length).sort()).toEqual([0, 2]);
      expect(results.flat()).toEqual(['CreateThing1700000000000', 'SlowCreate1700000000002']);
      expect(await queryOnce(fresh.url, 'select name from race.migrations order by id')).toEqual([
        { name: 'CreateThing1700000000000' },
        { name: 'SlowCreate1700000000002' },
      ]);
      const locks = `select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
      expect(await queryOnce(fresh.url, locks)).toHaveLength(0);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a runtime role name that is not a plain lower-case identifier before quoting it into a GRANT', () => {
    expect(runtimeRoleOf('postgres://ledger_app:pw@db/mm')).toBe('ledger_app');
    expect(runtimeRoleOf('postgres://x@db/mm', 'ledger_app')).toBe('ledger_app');
    expect(() => runtimeRoleOf('postgres://a%22b@db/mm')).toThrow(/must match/);
    expect(() => runtimeRoleOf('postgres://db/mm')).toThrow(/must match/);
  });
});
