import { initialiseDataSource } from '@mm/platform';
import { createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import type { DataSource } from 'typeorm';
import { LEDGER_MIGRATIONS, ledgerDataSourceOptions } from '../src/data-source';

/** Replicas starting together on a fresh database: each migration runs once, every replica comes up. */
describe('ledger migrations under concurrent starts', () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ledger_miglock');
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((d) => d.destroy().catch(() => undefined)));
    await db?.drop();
  });

  it('three replicas migrating the same fresh database at once all succeed, and each migration is recorded once', async () => {
    const config = { DATABASE_URL: db.url, DATABASE_SCHEMA: 'ledger', DATABASE_POOL_SIZE: 2 };
    const started = await Promise.allSettled([1, 2, 3].map(() => initialiseDataSource(ledgerDataSourceOptions(config, true))));
    for (const s of started) if (s.status === 'fulfilled') dataSources.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
    const recorded = await queryOnce<{ name: string; n: number }>(
      db.url,
      'select name, count(*)::int as n from ledger.migrations group by name order by name',
    );
    expect(recorded).toEqual(LEDGER_MIGRATIONS.map((m) => ({ name: m.name, n: 1 })).sort((a, b) => a.name.localeCompare(b.name)));
  });
});
