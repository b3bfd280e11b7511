import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { initialiseDataSource } from '@mm/platform';
import { createTestDatabase, createTestRole, queryOnce } from '@mm/testing';
import { ledgerDataSourceOptions } from '@mm/ledger/dist/data-source';
import { ROOT, SERVICES } from './support/services';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli/migrate.js` in the service's directory, as the migration Job runs it. */
function migrate(service: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli/migrate.js'], {
      cwd: join(ROOT, 'apps', service),
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const ranBy = (run: Run): string[] => (JSON.parse(run.stdout.trim()) as { ran: string[] }).ran;

describe.each(SERVICES.filter((s) => s.ownsSchema))('$name: node dist/cli/migrate.js', (service) => {
  it('migrates a fresh database once when two migration runs start together', async () => {
    const db = await createTestDatabase(`migrate_${service.name}`);
    try {
      const runs = await Promise.all([migrate(service.name, { DATABASE_URL: db.url }), migrate(service.name, { DATABASE_URL: db.url })]);
      expect(runs.map((r) => [r.code, r.stderr])).toEqual([
        [0, ''],
        [0, ''],
      ]);
      const [first, second] = runs.map(ranBy);
      const schema = /"schema":"([a-z_]+)"/.exec(runs[0]!.stdout)?.[1];
      const applied = await queryOnce<{ name: string }>(db.url, `select name from ${schema}.migrations order by id`);
      expect(applied.length).toBeGreaterThan(0);
      // One run applied every migration, the other waited on the lock and found none pending.
      expect([first, second].map((r) => r!.length).sort((a, b) => a - b)).toEqual([0, applied.length]);
      expect([...first!, ...second!]).toEqual(applied.map((m) => m.name));
    } finally {
      await db.drop();
    }
  });
});

describe('migration job and runtime role (ledger)', () => {
  it('migrates as the owner and grants the runtime role, which then serves without migrating or creating anything', async () => {
    const db = await createTestDatabase('migrate_roles');
    const runtime = await createTestRole('migrate_rt');
    try {
      const runtimeUrl = runtime.urlFor(db.url);
      const run = await migrate('ledger', { DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: db.url });
      expect(run.code).toBe(0);
      const [privileges] = await queryOnce<{ insert: boolean; update: boolean }>(
        db.url,
        `select has_table_privilege($1, 'ledger.events', 'insert') as insert, has_table_privilege($1, 'ledger.events', 'update') as update`,
        [runtime.name],
      );
      expect(privileges).toEqual({ insert: true, update: false });
      // The Deployment's path: DATABASE_MIGRATE_ON_START=false, the runtime URL only (no CREATE on the database).
      const config = { DATABASE_URL: runtimeUrl, DATABASE_SCHEMA: 'ledger', DATABASE_POOL_SIZE: 1, DATABASE_MIGRATE_ON_START: false };
      const dataSource = await initialiseDataSource(ledgerDataSourceOptions(config, true));
      try {
        expect(await dataSource.query('select count(*)::int as n from ledger.events')).toEqual([{ n: 0 }]);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await db.drop();
      await runtime.drop();
    }
  });

  it('names a bad variable and exits 2 without touching a database', async () => {
    const run = await migrate('ledger', { DATABASE_URL: 'mysql://nope' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(run.stderr).not.toContain('nope');
  });
});
