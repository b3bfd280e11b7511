import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadStatementFile } from './provider-statement.command';

/** The upload streams the file byte for byte, with its type, length and token, and reports progress up to the whole file. */
describe('uploadStatementFile', () => {
  let server: Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; body: Buffer } | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = { headers: req.headers, body: Buffer.concat(chunks) };
        const status = req.headers.authorization === 'Bearer good' ? 200 : 401;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: received.body.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/statements/provider`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the whole file and reports progress', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mm-cli-')), 'statement.csv');
    const content = Buffer.from(
      `providerId,transactionId,amount,currency,msisdn,time\r\n${'200,tx,1,RWF,+250786474859,2026-01-01T00:00:00Z\r\n'.repeat(5000)}`,
    );
    writeFileSync(file, content);
    const progress: number[] = [];
    const res = await uploadStatementFile({ url, token: 'good', file, contentType: 'text/csv', onProgress: (sent) => progress.push(sent) });
    expect(res).toEqual({ status: 200, body: { bytes: content.length } });
    expect(received!.body.equals(content)).toBe(true);
    expect(received!.headers).toMatchObject({ 'content-type': 'text/csv', 'content-length': String(content.length) });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(content.length);
    expect((await uploadStatementFile({ url, token: 'bad', file, contentType: 'text/csv' })).status).toBe(401);
  });
});
