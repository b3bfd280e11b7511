#!/usr/bin/env node
// Load generator, run in its own process: unique, properly signed BBOXX notifications.
// Usage: node load.mjs <baseUrl> <seconds> <connections> [ratePerSecond|0] [warmupSeconds] ; prints one JSON result line.
//  - rate 0 (saturation): autocannon keeps every connection busy (closed model).
//  - a fixed rate: requests start on a constant schedule whatever the answers (open model, like wrk2), and each
//    latency is measured from the moment its request was due, so a stall counts for every request it delayed.
//    (autocannon's own rate limit sends each second's quota in a burst at the start of the second, and its
//    coordinated-omission correction assumes a 1 ms interval: both distort percentiles at a fixed rate.)
import { createSecretKey, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { bboxxAuthorization } from '@mm/contracts/bboxx-signature';
import autocannon from 'autocannon';

const [baseUrl, seconds = '10', connections = '64', rate = '0', warmup = '0'] = process.argv.slice(2);
const secret = createSecretKey(Buffer.from(process.env.SECRET ?? 'bench-secret-0123456789', 'utf8'));
const path = '/mm/1.0/payments/payment/200/customers/12000/payments';
const runId = randomUUID().slice(0, 8);
let n = 0;

function signedNotification() {
  n += 1;
  const body = `{"transactionId":"b-${runId}-${n}","amount":${100 + (n % 900)},"currency":"RWF","subscriber":"250786474859","countryCode":"RW","operator":"bench"}`;
  const messageId = `${runId}-${n}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      authorization: bboxxAuthorization(secret, body, messageId, '200', '12000'),
      messageid: messageId,
      messagetimestamp: '20261123000000',
    },
  };
}

/** The result line, with the generator's own CPU (for the benchmark's per-process accounting: it exits before it is read). */
const print = (result) => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds: (user + system) / 1e6 })}\n`);
};
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

function saturation() {
  const instance = autocannon(
    {
      url: baseUrl,
      connections: Number(connections),
      duration: Number(seconds),
      requests: [{ method: 'POST', path, setupRequest: (req) => ({ ...req, ...signedNotification() }) }],
    },
    (error, result) => {
      if (error) {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      }
      const ok = result['2xx'];
      print({
        seconds: Number(seconds),
        connections: Number(connections),
        offeredRate: null,
        accepted: ok,
        acceptedPerSecond: Math.round(ok / result.duration),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        perSecond: { min: result.requests.min, mean: Math.round(result.requests.mean), max: result.requests.max },
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      });
    },
  );
  process.once('SIGINT', () => instance.stop());
}

async function fixedRate(perSecond, warmupSeconds) {
  const url = new URL(path, baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
  if (warmupSeconds > 0) await schedule(url, agent, perSecond, warmupSeconds); // JIT, pools and connections warm up
  const result = await schedule(url, agent, perSecond, Number(seconds));
  agent.destroy();
  print({ seconds: Number(seconds), connections: Number(connections), offeredRate: perSecond, warmupSeconds, ...result });
}

async function schedule(url, agent, perSecond, seconds) {
  const interval = 1000 / perSecond;
  const total = Math.round(perSecond * seconds);
  const latencies = [];
  let accepted = 0;
  let non2xx = 0;
  let errors = 0;
  const perSecondCounts = new Map();
  const start = performance.now();
  const send = (dueAt) =>
    new Promise((resolve) => {
      const { body, headers } = signedNotification();
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const done = performance.now();
          if (res.statusCode >= 200 && res.statusCode < 300) {
            accepted += 1;
            latencies.push(done - dueAt);
            const second = Math.floor((done - start) / 1000);
            perSecondCounts.set(second, (perSecondCounts.get(second) ?? 0) + 1);
          } else non2xx += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const inFlight = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    // Every request whose time has come starts now, each timed from its own due time.
    while (sent < total && start + sent * interval <= now) inFlight.push(send(start + sent++ * interval));
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, start + sent * interval - performance.now()))));
  }
  await Promise.all(inFlight);
  const duration = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  // Whole seconds only: the last one is cut short by the end of the run.
  const counts = [...perSecondCounts].filter(([second]) => second < Math.floor(duration)).map(([, count]) => count);
  const ms = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    accepted,
    acceptedPerSecond: Math.round(accepted / duration),
    non2xx,
    errors,
    timeouts: 0,
    perSecond: { min: Math.min(...counts), mean: Math.round(accepted / duration), max: Math.max(...counts) },
    latencyMs: {
      p50: ms(percentile(latencies, 50)),
      p90: ms(percentile(latencies, 90)),
      p99: ms(percentile(latencies, 99)),
      max: ms(latencies[latencies.length - 1] ?? null),
    },
  };
}

if (Number(rate) > 0) await fixedRate(Number(rate), Number(warmup));
else saturation();
