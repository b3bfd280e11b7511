/**
 * The machine's ceiling for comparison with the ingest: a bare node:http server that does what ingest must do
 * before storage (HMAC-SHA1 check over the raw body, JSON parse) and answers ACCEPTED. No database, no framework.
 *
 *   PORT=3909 node dist/scripts/baseline-server.js   then   INGEST_URL=http://127.0.0.1:3909 node dist/scripts/load.js
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.LOAD_SECRET ?? 'mm-dev-secret-12000-not-for-production';
const port = Number(process.env.PORT ?? 3909);
const route = /^\/mm\/1\.0\/payments\/payment\/([^/]+)\/customers\/([^/]+)\/payments$/;

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const [, providerId = '', customerId = ''] = route.exec(req.url ?? '') ?? [];
    const [, mac = ''] = String(req.headers.authorization ?? '').split(':');
    const expected = createHmac('sha1', secret).update(raw).update(`${String(req.headers.messageid)}${providerId}${customerId}`).digest();
    const given = Buffer.from(mac, 'base64');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    JSON.parse(raw.toString('utf8'));
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { providerTransactionId: randomUUID(), status: 'ACCEPTED', Description: 'ok' } : { status: 'REJECTED' }));
  });
}).listen(port, '127.0.0.1', () => console.log(`baseline listening on http://127.0.0.1:${port}`));
