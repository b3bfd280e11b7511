import {
  createTestDatabase,
  PRODUCTION_KAFKA_ENV,
  queryOnce,
  startService,
  waitFor,
  type RunningService,
  type TestDatabase,
} from '@mm/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { send, sign, signedNotification } from './support/bboxx-client';

const ENTRY = join(__dirname, '..', 'dist', 'main.js');
const SECRET = 'Zq7-unmistakable-secret-4417';
const ROTATED = 'Rk2-unmistakable-rotated-9051';

/** The built service as a process, with every log line it writes captured: no secret may appear anywhere. */
describe('secrets never leave the credential store', () => {
  let db: TestDatabase;
  let ingest: RunningService;
  beforeAll(async () => {
    db = await createTestDatabase('ingest_secrets');
    ingest = await startService('notification-ingest', ENTRY, {
      DATABASE_URL: db.url,
      INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: [SECRET, ROTATED], providers: ['200'] } }),
      LOG_LEVEL: 'trace',
      HTTP_ACCESS_LOG: 'true',
      OUTBOX_POLL_MS: '200',
    });
  });
  afterAll(async () => {
    await ingest?.stop();
    await db?.drop();
  });

  it('keeps secrets and MACs out of logs, error bodies and events, through success and every refusal', async () => {
    const good = signedNotification(SECRET, { first_name: SECRET }); // even a body quoting a secret is data, not a leak
    const accepted = await send(ingest.url, good);
    expect(accepted.status).toBe(200);
    const answers = [
      accepted,
      await send(ingest.url, good), // replay
      await send(ingest.url, signedNotification(ROTATED)),
      await send(ingest.url, good, { Authorization: sign('wrong-secret-000000000', good.body, good.messageId, '200', '12000') }),
      await send(ingest.url, signedNotification(SECRET, {}, { customerId: '99999' })),
      await send(ingest.url, signedNotification(SECRET, { amount: 'lots' })),
      await send(ingest.url, signedNotification(SECRET), { MessageTimestamp: 'yesterday' }),
      await send(ingest.url, signedNotification(SECRET), { 'Content-Type': 'text/plain' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 403, 403, 400, 400, 415]);
    await fetch(`${ingest.url}/health/ready`);
    await waitFor(async () =>
      (await queryOnce<{ n: number }>(db.url, `select count(*)::int as n from ingest.outbox where sent_at is null`))[0]!.n === 0
        ? true
        : undefined,
    );

    const macOf = (a: string) => a.split(':')[1]!;
    const forbidden = [SECRET.replace(/^Zq7-/, ''), ROTATED, macOf(good.headers.Authorization!)];
    const output = ingest.output();
    expect(output.length).toBeGreaterThan(0);
    expect(output).toMatch(/"statusCode":403[^\n]*request completed/); // the access log ran, refusals included
    for (const secret of forbidden.slice(1)) expect(output).not.toContain(secret);
    // The first secret appears only inside the stored body's first_name (never logged at all, in fact).
    expect(output).not.toContain(SECRET);
    for (const a of answers.slice(2)) for (const s of forbidden) expect(a.text).not.toContain(s);
    const events = await queryOnce<{ payload: string }>(db.url, `select payload from ingest.outbox`);
    for (const e of events) {
      expect(e.payload).not.toContain(ROTATED);
      expect(e.payload).not.toContain(macOf(good.headers.Authorization!));
    }
  });

  it('names a bad credentials entry at start-up without echoing its value', () => {
    const tooShort = 'short-Xy9';
    const result = spawnSync(process.execPath, [ENTRY], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: [tooShort], providers: ['200'] } }),
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('12000.secrets.0');
    expect(result.stdout + result.stderr).not.toContain(tooShort);
  });

  it("refuses to start under NODE_ENV=production with the repository's development credentials", () => {
    const result = spawnSync(process.execPath, [ENTRY], {
      env: {
        ...process.env,
        ...PRODUCTION_KAFKA_ENV,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        INGEST_CREDENTIALS_FILE: join(__dirname, '..', '..', '..', 'config', 'dev-credentials.json'),
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/12000\.secrets\.0: a development secret; NODE_ENV=production refuses it/);
    expect(result.stdout + result.stderr).not.toContain('mm-dev-secret-12000-not-for-production');
  });
});
