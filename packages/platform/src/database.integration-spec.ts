import { adminDatabaseUrl, createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, initialiseDataSource } from './database';

describe('initialiseDataSource', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('platform_db');
    dataSource = await initialiseDataSource(
      dataSourceOptions({ url: db.url, schema: 'svc', entities: [], migrations: [], applicationName: 'platform-test', poolSize: 2 }),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('creates the service schema', async () => {
    const rows = await queryOnce(db.url, `select 1 from information_schema.schemata where schema_name = 'svc'`);
    expect(rows).toHaveLength(1);
  });

  it('a checked-out connection that reports an error while no query runs does not crash the process', async () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect(); // checked out: the pool's own idle listener is gone
    try {
      // What pg does when the server ends the session between two queries (EventEmitter throws with no listener).
      expect(() => client.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
    } finally {
      client.release(true);
    }
  });

  it('survives a checked-out connection being terminated between two queries, and the next query fails cleanly', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const [row] = (await runner.query('select pg_backend_pid() as pid')) as { pid: number }[];
    const pid = row!.pid;
    await queryOnce(adminDatabaseUrl(), 'select pg_terminate_backend($1)', [pid]);
    await new Promise((r) => setTimeout(r, 300)); // the 'error' event arrives while no query is running
    await expect(runner.query('select 1')).rejects.toThrow();
    await runner.release();
    // The pool replaces the dead connection: the data source keeps working.
    await expect(dataSource.query('select 1 as ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
