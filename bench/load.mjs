#!/usr/bin/env node
// Load generator, run in its own process: unique, properly signed BBOXX notifications via autocannon.
// Usage: node load.mjs <baseUrl> <seconds> <connections> [ratePerSecond|0] ; prints one JSON result line.
import { createHmac, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const [baseUrl, seconds = '10', connections = '64', rate = '0'] = process.argv.slice(2);
const secret = process.env.SECRET ?? 'bench-secret-0123456789';
const path = '/mm/1.0/payments/payment/200/customers/12000/payments';
const runId = randomUUID().slice(0, 8);
let n = 0;

const instance = autocannon(
  {
    url: baseUrl,
    connections: Number(connections),
    duration: Number(seconds),
    ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (req) => {
          n += 1;
          const body = `{"transactionId":"b-${runId}-${n}","amount":${100 + (n % 900)},"currency":"RWF","subscriber":"250786474859","countryCode":"RW","operator":"bench"}`;
          const messageId = `${runId}-${n}`;
          const mac = createHmac('sha1', secret).update(body + messageId + '200' + '12000').digest('base64');
          return {
            ...req,
            body,
            headers: { 'content-type': 'application/json', authorization: `12000:${mac}`, messageid: messageId, messagetimestamp: '20261123000000' },
          };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    const ok = result['2xx'];
    process.stdout.write(
      `${JSON.stringify({
        seconds: Number(seconds),
        connections: Number(connections),
        offeredRate: Number(rate) || null,
        accepted: ok,
        acceptedPerSecond: Math.round(ok / result.duration),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      })}\n`,
    );
  },
);
process.once('SIGINT', () => instance.stop());
