import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, queryOnce, type TestDatabase } from '@mm/testing';
import { cookieOf, startConsoleApp } from './support/console-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

/** Sign-in, sessions, CSRF and the rate limit, on the console's real database; the services are unreachable here. */
describe('console sessions', () => {
  let db: TestDatabase;
  let console_: Awaited<ReturnType<typeof startConsoleApp>>;
  const MAX = 3;

  const call = async (method: string, path: string, o: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...(o.cookie ? { cookie: o.cookie } : {}), ...o.headers };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${console_.url}${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    return { res, status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  const signIn = (username: string, password: string) => call('POST', '/api/session', { body: { username, password } });
  const signedIn = async (username = 'alice') => {
    const r = await signIn(username, console_.passwords[username]!);
    expect(r.status).toBe(200);
    return { cookie: cookieOf(r.res), csrf: r.body.csrfToken as string };
  };

  beforeAll(async () => {
    db = await createTestDatabase('console_sessions');
    console_ = await startConsoleApp({
      DATABASE_URL: db.url,
      CONSOLE_LOGIN_MAX_FAILURES: String(MAX),
      CONSOLE_LOGIN_WINDOW_SECONDS: '600',
      CONSOLE_SESSION_TTL_SECONDS: '3600',
      // Nothing listens there: every call to a service fails.
      CONSOLE_LEDGER_URL: 'http://127.0.0.1:9',
      CONSOLE_DEBIT_URL: 'http://127.0.0.1:9',
      CONSOLE_INGEST_URL: 'http://127.0.0.1:9',
      CONSOLE_UPSTREAM_TIMEOUT_MS: '1000',
    });
  });
  beforeEach(() => queryOnce(db.url, 'delete from console.login_failures'));
  afterAll(async () => {
    await console_?.close();
    await db?.drop();
  });

  const routes: [string, string][] = [
    ['GET', '/api/me'],
    ['GET', '/api/overview'],
    ['GET', '/api/search?kind=payments'],
    ['GET', '/api/payments/some-payment'],
    ['GET', `/api/debits/${randomUUID()}`],
    ['GET', '/api/resolutions/queue'],
    ['POST', `/api/resolutions/debits/${randomUUID()}`],
    ['POST', `/api/resolutions/${randomUUID()}/approve`],
    ['GET', '/api/dead-letters'],
    ['GET', '/api/dead-letters/ledger/1'],
    ['POST', '/api/dead-letters/payment-debit/1/replay'],
    ['DELETE', '/api/session'],
  ];

  it.each(routes)('%s %s refuses a request without a live session (401), whatever cookie it forges', async (method, path) => {
    const forged = [
      '',
      'mm_console=',
      `mm_console=${randomBytes(32).toString('base64url')}`,
      'mm_console=../../etc',
      `mm_console=${'a'.repeat(5000)}`,
    ];
    for (const cookie of forged) {
      const r = await call(method, path, { cookie });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
    }
  });

  it('signs in: an httpOnly SameSite=Strict cookie; only a hash of the session id is stored; the sign-in is audited', async () => {
    const r = await signIn('alice', console_.passwords.alice!);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      username: 'alice',
      roles: ['maker'],
      csrfToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresAt: expect.any(String),
    });
    const setCookie = r.res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mm_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/); // loopback: not Secure
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    const id = cookieOf(r.res).split('=')[1]!;
    const rows = await queryOnce<{ id_hash: Buffer }>(db.url, 'select id_hash from console.sessions');
    expect(rows.map((x) => x.id_hash.toString('hex'))).toContain(createHash('sha256').update(id).digest('hex'));
    expect(JSON.stringify(await queryOnce(db.url, 'select * from console.sessions'))).not.toContain(id);
    const me = await call('GET', '/api/me', { cookie: cookieOf(r.res) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'alice', roles: ['maker'], csrfToken: r.body.csrfToken });
    const audit = await queryOnce(db.url, `select operator_sub, action from console.operator_actions where action = 'console.sign-in'`);
    expect(audit).toContainEqual({ operator_sub: 'alice', action: 'console.sign-in' });
  });

  it('refuses a wrong password and an unknown username with the same answer', async () => {
    const wrong = await signIn('alice', 'not-the-password');
    const unknown = await signIn('mallory', 'whatever');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.res.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['a form post', 'username=alice&password=x', 'application/x-www-form-urlencoded', 415],
    ['text', '{"username":"alice","password":"x"}', 'text/plain', 415],
    ['an extra member', JSON.stringify({ username: 'alice', password: 'x', roles: ['checker'] }), 'application/json', 400],
    ['a hostile username', JSON.stringify({ username: "alice' or '1'='1", password: 'x' }), 'application/json', 400],
    ['an oversized password', JSON.stringify({ username: 'alice', password: 'x'.repeat(300) }), 'application/json', 400],
    ['a body over the limit', JSON.stringify({ username: 'alice', password: 'x'.repeat(20_000) }), 'application/json', 413],
    ['not JSON', '{"username":', 'application/json', 400],
  ])('refuses %s at sign-in', async (_what, body, type, status) => {
    const r = await fetch(`${console_.url}/api/session`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(r.status).toBe(status);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('locks a username out after too many failures, even with the right password, until the window has passed', async () => {
    for (let i = 0; i < MAX; i++) expect((await signIn('bob', `wrong-${i}`)).status).toBe(401);
    const locked = await signIn('bob', console_.passwords.bob!);
    expect(locked.status).toBe(429);
    expect(locked.res.headers.get('retry-after')).toBe('600');
    expect(locked.res.headers.get('set-cookie')).toBeNull();
    await queryOnce(db.url, `update console.login_failures set failed_at = now() - interval '601 seconds'`);
    expect((await signIn('bob', console_.passwords.bob!)).status).toBe(200);
  });

  it('rate-limits a client address across usernames', async () => {
    for (let i = 0; i < MAX; i++) expect((await signIn(`guess${i}`, 'password')).status).toBe(401);
    expect((await signIn('victor', console_.passwords.victor!)).status).toBe(429);
  });

  it('ends a session when it expires', async () => {
    const { cookie } = await signedIn('victor');
    expect((await call('GET', '/api/me', { cookie })).status).toBe(200);
    const id = cookie.split('=')[1]!;
    await queryOnce(db.url, `update console.sessions set expires_at = now() - interval '1 second' where id_hash = $1`, [
      createHash('sha256').update(id).digest(),
    ]);
    expect((await call('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('signs out only with the CSRF token; the session is then gone and its cookie is refused', async () => {
    const { cookie, csrf } = await signedIn('alice');
    const other = await signedIn('bob');
    expect((await call('DELETE', '/api/session', { cookie })).status).toBe(403);
    expect((await call('DELETE', '/api/session', { cookie, headers: { 'x-csrf-token': 'x'.repeat(43) } })).status).toBe(403);
    // Another session's token does not do either.
    expect((await call('DELETE', '/api/session', { cookie, headers: { 'x-csrf-token': other.csrf } })).status).toBe(403);
    expect((await call('GET', '/api/me', { cookie })).status).toBe(200);
    const out = await call('DELETE', '/api/session', { cookie, headers: { 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.res.headers.get('set-cookie')).toMatch(/^mm_console=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    // Replayed after sign-out: refused.
    expect((await call('GET', '/api/me', { cookie })).status).toBe(401);
    expect((await call('DELETE', '/api/session', { cookie, headers: { 'x-csrf-token': csrf } })).status).toBe(401);
    const audit = await queryOnce(db.url, `select operator_sub from console.operator_actions where action = 'console.sign-out'`);
    expect(audit).toEqual([{ operator_sub: 'alice' }]);
  });

  it('answers 502 when the ledger cannot be reached, and 400 for a malformed search, never reaching it', async () => {
    const { cookie } = await signedIn('victor');
    expect((await call('GET', '/api/search?kind=payments', { cookie })).status).toBe(502);
    for (const q of ['kind=refunds', 'providerId=%27%3B--', 'date=2026-13-01', 'limit=5', 'id=' + 'x'.repeat(65)])
      expect((await call('GET', `/api/search?${q}`, { cookie })).status).toBe(400);
    expect((await call('GET', '/api/debits/not-a-uuid', { cookie })).status).toBe(400);
    const overview = await call('GET', '/api/overview', { cookie });
    expect(overview.status).toBe(200);
    expect(overview.body.unavailable).toEqual(expect.arrayContaining(['ledger flow report', 'ledger metrics']));
    expect(overview.body.consumerLag).toEqual([
      { service: 'payment-debit', lag: null },
      { service: 'ledger', lag: null },
    ]);
  });

  it('sends the security headers with every answer, and serves the page without inline script or style', async () => {
    const page = await fetch(`${console_.url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
    const api = await call('GET', '/api/me');
    expect(api.res.headers.get('content-security-policy')).toBe(csp);
  });
});
