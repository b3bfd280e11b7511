import { fieldsOf, rawRequest, rejected, storedCount, storedEvent as eventOf } from './support/assertions';
import { notificationPath, post, send, sign, signedNotification } from './support/bboxx-client';
import { ingestWithDatabase, OTHER_SECRET, SECRET, type IngestWithDatabase, type RunningIngest } from './support/ingest-harness';

describe('notification headers, signature and HTTP-level refusals (real PostgreSQL)', () => {
  let env: IngestWithDatabase;
  let ingest: RunningIngest;
  const stored = (messageId: string) => storedCount(env.db.url, messageId);
  const storedEvent = (paymentId: string) => eventOf(env.db.url, paymentId);

  beforeAll(async () => {
    env = await ingestWithDatabase('ingest_headers');
    ingest = env.ingest;
  });
  afterAll(() => env?.stop());

  it.each([
    ['Authorization', 'Authorization'],
    ['MessageID', 'MessageID'],
    ['MessageTimestamp', 'MessageTimestamp'],
  ])('refuses a missing %s header with 400 naming it', async (header, field) => {
    const n = signedNotification(SECRET);
    const answer = await send(ingest.url, n, { [header]: null });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(rejected());
    expect(fieldsOf(answer)).toEqual([field]);
    expect(await stored(n.messageId)).toBe(0);
  });

  it.each([
    ['MessageTimestamp', '2016-10-29 11:30:22'],
    ['MessageTimestamp', '20161332113022'],
    ['SMSSupport', 'maybe'],
    ['MessageID', 'has spaces in it'],
  ])('refuses an invalid %s header (%p) with 400 naming it', async (header, value) => {
    const answer = await send(ingest.url, signedNotification(SECRET), { [header]: value });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toEqual([header]);
  });

  it.each(['Authorization', 'MessageID', 'MessageTimestamp', 'SMSSupport', 'Content-Type'])(
    'refuses a repeated %s header with 400',
    async (header) => {
      const n = signedNotification(SECRET, {}, { smsSupport: 'Y' });
      const raw = Object.entries(n.headers) as [string, string][];
      raw.push([header.toLowerCase(), n.headers[header]!]);
      const answer = await post(ingest.url, notificationPath('200', '12000'), raw, n.body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual(rejected([{ field: header, message: 'header must appear once' }]));
      expect(await stored(n.messageId)).toBe(0);
    },
  );

  it('reads header names in any case and tolerates whitespace around values', async () => {
    const n = signedNotification(SECRET);
    const raw: [string, string][] = [
      ['AUTHORIZATION', `  ${n.headers.Authorization}  `],
      ['messageid', ` ${n.messageId} `],
      ['messagetimestamp', ' 20161029113022'],
      ['smssupport', ' y '],
      ['content-type', 'Application/JSON; charset=utf-8'],
    ];
    const answer = await post(ingest.url, notificationPath('200', '12000'), raw, n.body);
    expect(answer.status).toBe(200);
    expect((await storedEvent(answer.json.providerTransactionId as string)).data.smsSupport).toBe(true);
  });

  it('answers the seed\'s literal " Authorization" header name (which HTTP forbids) with a JSON 400', async () => {
    const n = signedNotification(SECRET);
    const answer = await rawRequest(
      ingest.url,
      `POST ${notificationPath('200', '12000')} HTTP/1.1\r\nHost: x\r\n Authorization: ${n.headers.Authorization}\r\nMessageID: ${n.messageId}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(n.body)}\r\n\r\n${n.body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(rejected());
    expect(await stored(n.messageId)).toBe(0);
  });

  it('answers headers too large for the HTTP parser with a JSON 431', async () => {
    const answer = await rawRequest(
      ingest.url,
      `POST /mm/1.0/payments/payment/200/customers/12000/payments HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(rejected());
  });

  it.each([
    [
      'a wrong secret',
      (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign('not-the-secret-at-all', n.body, n.messageId, '200', '12000') }),
    ],
    [
      'a signature over another body',
      (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign(SECRET, `${n.body} `, n.messageId, '200', '12000') }),
    ],
    [
      'a signature over another MessageID',
      (n: ReturnType<typeof signedNotification>) => ({ Authorization: sign(SECRET, n.body, `${n.messageId}x`, '200', '12000') }),
    ],
    ['a malformed Authorization', () => ({ Authorization: 'Basic dXNlcjpwYXNz' })],
    ['a truncated MAC', (n: ReturnType<typeof signedNotification>) => ({ Authorization: n.headers.Authorization!.slice(0, -4) })],
  ])('refuses %s with 403 and stores nothing', async (_what, change) => {
    const n = signedNotification(SECRET);
    const answer = await send(ingest.url, n, change(n));
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({
      status: 'REJECTED',
      Description: 'authentication failed',
      errors: [{ message: 'authentication failed' }],
    });
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses an unknown credential, a CustomerId that differs from the path, and a provider not allowed, with 403', async () => {
    const unknown = signedNotification(SECRET, {}, { customerId: '99999' });
    const mismatch = signedNotification(SECRET);
    const mismatchAuth = sign(SECRET, mismatch.body, mismatch.messageId, '200', '13000');
    const notAllowed = signedNotification(SECRET, {}, { providerId: '300' }); // 12000 may post for 200 only
    const otherCustomersProvider = signedNotification(OTHER_SECRET, {}, { customerId: '13000', providerId: '200' });
    const answers = await Promise.all([
      send(ingest.url, unknown),
      send(ingest.url, mismatch, { Authorization: mismatchAuth }),
      send(ingest.url, notAllowed),
      send(ingest.url, otherCustomersProvider),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    for (const a of answers) expect(a.json).toEqual(rejected());
  });

  it('refuses a request whose Content-Type is not JSON with 415, whatever its signature', async () => {
    const n = signedNotification(SECRET);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await send(ingest.url, n, { 'Content-Type': contentType });
      expect(answer.status).toBe(415);
      expect(answer.json).toEqual(rejected([{ field: 'Content-Type', message: 'must be application/json' }]));
    }
    const none = await send(ingest.url, n, { 'Content-Type': null });
    expect(none.status).toBe(415);
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const n = signedNotification(SECRET, { padding: 'x'.repeat(ingest.config.INGEST_BODY_LIMIT_BYTES) });
    const answer = await send(ingest.url, n);
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual(rejected([{ field: 'body', message: 'too large' }]));
    expect(await stored(n.messageId)).toBe(0);
  });

  it('refuses an empty body with 400 and unknown paths with a JSON 404', async () => {
    const empty = await send(ingest.url, signedNotification(SECRET), {}, '');
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty)).toEqual(['body']);
    const lost = await post(
      ingest.url,
      '/mm/1.0/payments/payment/200/customers/12000/refunds',
      [['Content-Type', 'application/json']],
      '{}',
    );
    expect(lost.status).toBe(404);
    expect(lost.json).toEqual(rejected());
  });

  it('counts requests by status and signature failures by reason on /metrics', async () => {
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    const value = (line: string) =>
      Number(
        metrics
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')
          .pop(),
      );
    // Exactly the requests this file sent (the raw " Authorization" one never reaches the application).
    expect(value('ingest_http_requests_total{status="200"}')).toBe(1);
    expect(value('ingest_http_requests_total{status="400"}')).toBe(3 + 4 + 5 + 1);
    expect(value('ingest_http_requests_total{status="403"}')).toBe(5 + 4);
    expect(value('ingest_http_requests_total{status="404"}')).toBe(1);
    expect(value('ingest_http_requests_total{status="413"}')).toBe(1);
    expect(value('ingest_http_requests_total{status="415"}')).toBe(4);
    // An unknown credential counts as a bad signature: a label of its own would tell /metrics readers which ids exist.
    expect(value('ingest_signature_failures_total{reason="bad_signature"}')).toBe(3 + 1);
    expect(value('ingest_signature_failures_total{reason="malformed"}')).toBe(2);
    expect(metrics).not.toContain('unknown_credential');
    expect(value('ingest_signature_failures_total{reason="customer_mismatch"}')).toBe(1);
    expect(value('ingest_signature_failures_total{reason="provider_not_allowed"}')).toBe(2);
    expect(value('ingest_outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(metrics).toMatch(/^ingest_outbox_oldest_age_seconds \d/m);
    expect(metrics).toMatch(/^ingest_http_request_duration_seconds_count \d+/m);
  });

  it('answers an unknown customer id exactly as a known one with a bad signature (status, headers and body)', async () => {
    const unknown = signedNotification(SECRET, {}, { customerId: '99998' });
    const known = signedNotification('not-the-secret-of-12000', {});
    const [a, b] = [await send(ingest.url, unknown), await send(ingest.url, known)];
    expect([a.status, b.status]).toEqual([403, 403]);
    expect(a.text).toBe(b.text);
    const shape = (h: typeof a.headers) =>
      Object.keys(h)
        .filter((k) => k !== 'date')
        .sort()
        .map((k) => (k === 'content-length' ? k : `${k}=${String(h[k])}`));
    expect(shape(a.headers)).toEqual(shape(b.headers));
  });
});
