// Pieces of `npm run bench` (run.mjs): the load generator in its own process, and the notification → ledger lag.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const { queryOnce } = require('@mm/testing');
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** load.mjs against `url` (saturation when `rate` is 0), with a seconds counter on the terminal; its JSON result. */
export async function runLoad({ url, seconds, connections, rate = 0, warmup = 0, secret }) {
  const label = rate ? `${rate}/s offered` : 'saturation';
  const started = Date.now();
  const ticker = setInterval(
    () => process.stdout.write(`\r[bench]   ${label}: ${Math.round((Date.now() - started) / 1000)}/${seconds + warmup} s `),
    1000,
  );
  try {
    const args = [join(here, 'load.mjs'), url, String(seconds), String(connections), String(rate), String(warmup)];
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, SECRET: secret }, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop());
  } finally {
    clearInterval(ticker);
    process.stdout.write('\n');
  }
}

/** A benchmark script of an app (catch-up, debits) in its own process; the JSON line it prints. */
export async function runScript(script, env) {
  const { stdout } = await run(process.execPath, [script], {
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    maxBuffer: 1 << 22,
    timeout: 600_000,
  });
  return JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')));
}

/**
 * Notification → ledger lag: once `loading` (a steady load on ingest) is done, every notification stored since
 * `since` is looked up in the ledger (up to 2 minutes) and timed from ingest's commit to the ledger's.
 */
export async function pipelineLag(loading, ingestUrl, ledgerUrl, since) {
  const pipeline = await loading;
  const ids = await queryOnce(ingestUrl, 'select id::text, received_at from ingest.notifications where received_at >= $1', [since]);
  const wanted = new Map(ids.map((r) => [r.id, new Date(r.received_at).getTime()]));
  const deadline = Date.now() + 120_000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await queryOnce(ledgerUrl, `select subject, received_at from ledger.events where type = 'mm.payment.received.v1'`);
    if (rows.filter((r) => wanted.has(r.subject)).length >= wanted.size) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const lags = rows
    .filter((r) => wanted.has(r.subject))
    .map((r) => new Date(r.received_at).getTime() - wanted.get(r.subject))
    .sort((a, b) => a - b);
  const pct = (p) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
  return {
    notifications: wanted.size,
    booked: lags.length,
    lagMs: { p50: pct(50), p99: pct(99), max: lags[lags.length - 1] },
    ingestLatencyMs: pipeline.latencyMs,
  };
}
