/**
 * Load generator for a running ingest: unique, correctly signed notifications from this separate process.
 * Prints accepted notifications per second and latency percentiles. Not a test: it measures, it asserts nothing.
 *
 *   INGEST_URL=http://127.0.0.1:3001 LOAD_SECRET=… npm run load -w @mm/notification-ingest
 *
 * Variables: INGEST_URL, LOAD_SECRET (a live secret of LOAD_CUSTOMER_ID), LOAD_CUSTOMER_ID (12000),
 * LOAD_PROVIDER_ID (200), LOAD_DURATION_S (20), LOAD_CONNECTIONS (64), LOAD_PIPELINING (1).
 * Give the ingest a rate limit above the offered load (INGEST_RATE_LIMIT_PER_SECOND=0 turns it off).
 */
import autocannon from 'autocannon';
import { createHmac, randomUUID } from 'node:crypto';

const url = process.env.INGEST_URL ?? 'http://127.0.0.1:3001';
const secret = process.env.LOAD_SECRET ?? 'mm-dev-secret-12000-not-for-production';
const customerId = process.env.LOAD_CUSTOMER_ID ?? '12000';
const providerId = process.env.LOAD_PROVIDER_ID ?? '200';
const duration = Number(process.env.LOAD_DURATION_S ?? 20);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 64);
const pipelining = Number(process.env.LOAD_PIPELINING ?? 1);
const run = randomUUID().slice(0, 8);
let seq = 0;
const statuses = new Map<number, number>();
let accepted = 0;

function nextRequest(): { headers: Record<string, string>; body: string } {
  seq += 1;
  const messageId = `${run}-${seq}`;
  const body = JSON.stringify({
    transactionId: `load-${run}-${seq}`,
    reference: String(seq),
    operator: 'Mobile_provider',
    subscriber: '250786474859',
    countryCode: 'RW',
    currency: 'RWF',
    transaction_type: 'PayBill',
    first_name: 'Jhon',
    last_name: 'Doe',
    amount: 100 + (seq % 900),
  });
  const mac = createHmac('sha1', secret).update(body + messageId + providerId + customerId, 'utf8').digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      authorization: `${customerId}:${mac}`,
      messageid: messageId,
      messagetimestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
      smssupport: 'N',
    },
  };
}

const instance = autocannon(
  {
    url,
    connections,
    pipelining,
    duration,
    requests: [
      {
        method: 'POST',
        path: `/mm/1.0/payments/payment/${providerId}/customers/${customerId}/payments`,
        setupRequest: (req) => ({ ...req, ...nextRequest() }),
        onResponse: (status, body) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200 && body.includes('"ACCEPTED"')) accepted += 1;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const seconds = result.duration || duration;
    console.log(
      JSON.stringify(
        {
          url,
          connections,
          pipelining,
          durationSeconds: seconds,
          sent: seq,
          accepted,
          acceptedPerSecond: Math.round(accepted / seconds),
          latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
          statuses: Object.fromEntries(statuses),
          errors: result.errors,
          timeouts: result.timeouts,
        },
        null,
        2,
      ),
    );
  },
);
process.once('SIGINT', () => instance.stop());
