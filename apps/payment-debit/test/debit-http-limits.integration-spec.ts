import { createTestDatabase, type RunningService, type TestDatabase } from '@mm/testing';
import { connect } from 'node:net';
import { api, startDebit, unusedUrl } from './debit-harness';

function threeMegabyteStream(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"description":"'));
      if (sent++ < 48) controller.enqueue(chunk);
      else {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      }
    },
  });
}

/** HTTP limits every service shares (platform bootstrap), seen on payment-debit as a caller would. */
describe('payment-debit HTTP limits', () => {
  let db: TestDatabase;
  let debit: RunningService;
  beforeAll(async () => {
    db = await createTestDatabase('debit_limits');
    debit = await startDebit(db.url, await unusedUrl(), { HTTP_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await debit?.stop();
    await db?.drop();
  });

  it.each([
    ['with a Content-Length', () => JSON.stringify({ description: 'x'.repeat(3 * 1024 * 1024) })],
    ['streamed (chunked, so the server reads up to the limit first)', () => threeMegabyteStream()],
  ])('answers a 3 MB body %s with a JSON 413 instead of resetting the connection', async (_how, body) => {
    const res = await api(debit, '/v1/debits', { method: 'POST', body: body(), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/too large/i) });
  });

  it('cuts off a client that sends its headers and then stalls', async () => {
    const { hostname, port } = new URL(debit.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(`POST /v1/debits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"commandId":`),
      );
      let out = '';
      socket.on('data', (c: Buffer) => (out += c.toString('utf8')));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
      socket.setTimeout(20_000, () => {
        socket.destroy();
        reject(new Error('still connected after 20 s'));
      });
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
  });
});
