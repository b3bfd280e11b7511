import { createTestDatabase, createTestRole, queryError, queryOnce, type TestDatabase, type TestRole } from '@mm/testing';
import { cookieOf, startConsoleApp } from './support/console-harness';

/**
 * Least privilege: the owner migrates and creates operators; the console serves as a role that can read operators,
 * write and purge sessions and failed sign-ins, and only append to the audit trail.
 */
describe('console with separate migration and runtime roles', () => {
  let db: TestDatabase;
  let role: TestRole;
  let runtimeUrl: string;
  let app: Awaited<ReturnType<typeof startConsoleApp>>;

  beforeAll(async () => {
    db = await createTestDatabase('console_roles');
    role = await createTestRole('console_rt');
    runtimeUrl = role.urlFor(db.url);
    app = await startConsoleApp({ DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: db.url });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await role?.drop();
  });

  it('signs in, fails sign-ins and signs out as the runtime role', async () => {
    const post = (password: string) =>
      fetch(`${app.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bob', password }),
      });
    expect((await post('wrong')).status).toBe(401);
    const ok = await post(app.passwords.bob!);
    expect(ok.status).toBe(200);
    const { csrfToken } = (await ok.json()) as { csrfToken: string };
    const out = await fetch(`${app.url}/api/session`, { method: 'DELETE', headers: { cookie: cookieOf(ok), 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    const active = await queryOnce(
      db.url,
      `select distinct usename from pg_stat_activity where datname = current_database() and application_name = 'console'`,
    );
    expect(active).toEqual([{ usename: role.name }]);
  });

  it.each([
    [`insert into console.operators (username, roles, password_hash) values ('mallory', '{checker}', 'scrypt$x')`],
    [`update console.operators set roles = '{checker}' where username = 'victor'`],
    [`update console.operators set password_hash = 'scrypt$x'`],
    [`delete from console.operators`],
    [`update console.sessions set expires_at = now() + interval '10 years'`],
    [`update console.operator_actions set operator_sub = 'someone-else'`],
    [`delete from console.operator_actions`],
    [`truncate console.operator_actions`],
  ])('refuses the runtime role: %s', async (sql) => {
    expect(await queryError(runtimeUrl, sql)).toMatchObject({ code: '42501' });
  });
});
