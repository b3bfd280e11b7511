import { createOutboxTable, dataSourceOptions, initialiseDataSource } from '@mm/platform';
import { createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import type { DataSource } from 'typeorm';
import { debitDataSourceOptions } from '../src/data-source';

/** The landed migrations spelled the outbox out; after them, payment-debit's table is exactly platform's definition. */
describe('payment-debit outbox table', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('debit_outbox_table');
    sources.push(
      await initialiseDataSource(debitDataSourceOptions({ DATABASE_URL: db.url, DATABASE_SCHEMA: 'debit', DATABASE_POOL_SIZE: 1 }, true)),
    );
    const reference = await initialiseDataSource(
      dataSourceOptions({
        url: db.url,
        schema: 'reference',
        entities: [],
        migrations: [],
        applicationName: 'outbox-table-test',
        poolSize: 1,
      }),
    );
    sources.push(reference);
    const runner = reference.createQueryRunner();
    await createOutboxTable(runner).finally(() => runner.release());
  });

  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  const shapeOf = async (schema: string) => ({
    columns: await queryOnce(
      db.url,
      `select column_name, data_type, is_nullable, replace(column_default, $1 || '.', '') as column_default
         from information_schema.columns where table_schema = $1 and table_name = 'outbox' order by ordinal_position`,
      [schema],
    ),
    indexes: await queryOnce(
      db.url,
      `select indexname, replace(indexdef, $1 || '.', '') as def from pg_indexes where schemaname = $1 and tablename = 'outbox' order by 1`,
      [schema],
    ),
  });

  it('has the columns and indexes createOutboxTable makes', async () => {
    const reference = await shapeOf('reference');
    expect(reference.indexes.map((i) => i.indexname)).toEqual([
      'outbox_event_id_key',
      'outbox_pkey',
      'outbox_sent_at_idx',
      'outbox_unsent_idx',
    ]);
    expect(await shapeOf('debit')).toEqual(reference);
  });
});
