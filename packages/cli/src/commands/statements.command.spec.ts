import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIXI_STATEMENT_CSV_HEADER } from '@mm/contracts';
import { DEV_OPERATOR_PUBLIC_KEYS, OperatorVerifier } from '@mm/platform';

const run = promisify(execFile);
const main = join(__dirname, '..', '..', 'dist', 'main.js');
const verifier = new OperatorVerifier({
  OPERATOR_JWT_PUBLIC_KEYS: DEV_OPERATOR_PUBLIC_KEYS,
  OPERATOR_JWT_ISSUER: 'mm',
  OPERATOR_JWT_AUDIENCE: 'mm',
});

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

/** A stand-in for payment-debit's import route: records what the command sent and answers like the route. */
describe('mm statements import', () => {
  let server: Server;
  let url: string;
  let received: Received[];
  let status = 200;
  const dir = mkdtempSync(join(tmpdir(), 'mm-statements-'));

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method,
          url: req.url,
          contentType: req.headers['content-type'],
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(status === 200 ? { linesRead: 1 } : { message: 'no' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    received = [];
    status = 200;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('streams a CSV file to the Bixi route with a development maker token and prints only the result on stdout', async () => {
    const file = join(dir, 'bixi.csv');
    const content = `${BIXI_STATEMENT_CSV_HEADER}\r\n${'x,'.repeat(12)}x\r\n`;
    writeFileSync(file, content);
    const { stdout } = await run(process.execPath, [main, 'statements', 'import', 'bixi', file, '--url', url]);
    expect(stdout).toBe('{"linesRead":1}\n'); // the progress bar goes to stderr (drawn on a terminal only)
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/v1/statements/bixi',
        contentType: 'text/csv',
        authorization: expect.stringMatching(/^Bearer /),
        body: content,
      },
    ]);
    await expect(verifier.verify(received[0]!.authorization!.slice(7))).resolves.toEqual({ sub: 'mm-cli', roles: ['maker'] });
  });

  it('sends JSON lines with the given token, and fails with the answer when the import is refused', async () => {
    const file = join(dir, 'bixi.jsonl');
    writeFileSync(file, '{"id":"1"}\n');
    status = 400;
    const failed = await run(process.execPath, [
      main,
      'statements',
      'import',
      'bixi',
      file,
      '--url',
      url,
      '--token',
      'given.token.x',
    ]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('import refused (400): {"message":"no"}') });
    expect(received[0]).toMatchObject({ contentType: 'application/x-ndjson', authorization: 'Bearer given.token.x', body: '{"id":"1"}\n' });
  });

  it('refuses an unknown kind and a file whose format it cannot tell, sending nothing', async () => {
    const file = join(dir, 'bixi.txt');
    writeFileSync(file, 'x');
    for (const args of [
      ['provider', file],
      ['bixi', file],
    ]) {
      const r = await run(process.execPath, [main, 'statements', 'import', ...args, '--url', url]).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/unknown statement kind provider|give --format csv or jsonl/) });
    }
    expect(received).toEqual([]);
  });
});
