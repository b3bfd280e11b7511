import { queryOnce } from '@mm/testing';
import { send, sign, signedNotification } from './support/bboxx-client';
import { ingestWithDatabase, type IngestWithDatabase, OTHER_SECRET, SECRET } from './support/ingest-harness';

describe('per-customer rate limit', () => {
  let env: IngestWithDatabase;

  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_rate', { INGEST_RATE_LIMIT_PER_SECOND: '0.2', INGEST_RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => env?.stop());

  it('answers 429 with a JSON body and Retry-After past the burst, stores nothing, and leaves other customers alone', async () => {
    // Forged requests must not spend the customer's allowance.
    const forged = signedNotification(SECRET);
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await send(env.ingest.url, forged, {
            Authorization: sign('forged-secret-0000000', forged.body, forged.messageId, '200', '12000'),
          })
        ).status,
      ).toBe(403);
    }
    const statuses: number[] = [];
    const refused = signedNotification(SECRET);
    for (let i = 0; i < 3; i++) statuses.push((await send(env.ingest.url, signedNotification(SECRET))).status);
    const limited = await send(env.ingest.url, refused);
    statuses.push(limited.status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(limited.json).toEqual({
      status: 'REJECTED',
      Description: expect.stringContaining('too many'),
      errors: [{ message: 'rate limit exceeded' }],
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const [row] = await queryOnce<{ n: number }>(env.db.url, `select count(*)::int as n from ingest.notifications where message_id = $1`, [
      refused.messageId,
    ]);
    expect(row).toEqual({ n: 0 });

    const other = await send(env.ingest.url, signedNotification(OTHER_SECRET, {}, { customerId: '13000', providerId: '300' }));
    expect(other.status).toBe(200);
    const metrics = await (await fetch(`${env.ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/^ingest_rate_limited_total 1$/m);
    expect(metrics).toMatch(/^ingest_http_requests_total\{status="429"\} 1$/m);
  });
});
