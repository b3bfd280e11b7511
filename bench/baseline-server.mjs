#!/usr/bin/env node
// The ceiling for notification-ingest: a bare node:http server that does only what cannot be skipped — read the
// raw body, check the BBOXX HMAC in constant time, parse the JSON — and answers. No framework, no database.
import { createSecretKey, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { bboxxMac } from '@mm/contracts/bboxx-signature';

// A KeyObject, as ingest holds its secrets (on Node 24 a raw key costs five times as much per HMAC).
const secret = createSecretKey(Buffer.from(process.env.SECRET ?? 'bench-secret-0123456789', 'utf8'));
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const [, providerId, customerId] = /^\/mm\/1\.0\/payments\/payment\/([^/]+)\/customers\/([^/]+)\/payments$/.exec(req.url ?? '') ?? [];
    const [cust, mac] = String(req.headers.authorization ?? '').split(':');
    const expected = bboxxMac(secret, raw, String(req.headers.messageid), providerId ?? '', customerId ?? '');
    const given = Buffer.from(mac ?? '', 'base64');
    if (cust !== customerId || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"status":"REJECTED"}');
      return;
    }
    const body = JSON.parse(raw.toString('utf8'));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ providerTransactionId: body.transactionId, status: 'ACCEPTED' }));
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
