import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { bboxxAuthorization } from '@mm/contracts';
import type { Command } from 'commander';

interface NotifyOptions {
  url: string;
  provider: string;
  customer: string;
  secret?: string;
  amount: string;
  currency: string;
  phone: string;
  country: string;
  body?: string;
  messageId?: string;
  transactionId?: string;
  count: string;
  concurrency: string;
  sms: boolean;
}

const timestamp = (d = new Date()) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export function registerNotify(program: Command): void {
  program
    .command('notify')
    .description('sign and send a payment notification exactly as a BBOXX provider does (to test an integration)')
    .option('--url <url>', 'notification-ingest base URL', 'http://127.0.0.1:3001')
    .option('--provider <id>', 'providerId (originId) in the path', '200')
    .option('--customer <id>', 'CustomerId (the credential) in the path and Authorization', '12000')
    .option('--secret <secret>', 'the credential secret (default: $MM_INGEST_SECRET)')
    .option('--amount <decimal>', 'amount as the provider sends it', '200.0')
    .option('--currency <code>', 'ISO 4217 currency', 'RWF')
    .option('--phone <msisdn>', 'subscriber phone', '250786474859')
    .option('--country <code>', 'countryCode', 'RW')
    .option('--body <file>', 'send this file as the body, byte for byte, instead of building one')
    .option('--message-id <id>', 'MessageID (default: a new UUID per request)')
    .option('--transaction-id <id>', 'transactionId (default: a new one per request)')
    .option('--count <n>', 'send n unique notifications', '1')
    .option('--concurrency <n>', 'requests in flight with --count', '8')
    .option('--no-sms', 'send SMSSupport: N')
    .action(async (o: NotifyOptions) => {
      const secret = o.secret ?? process.env.MM_INGEST_SECRET;
      if (!secret) throw new Error('give --secret or set MM_INGEST_SECRET');
      const count = Math.max(1, Number(o.count));
      const fixedBody = o.body ? readFileSync(o.body, 'utf8') : undefined;
      const statuses = new Map<number, number>();
      const bar =
        count > 1 ? new SingleBar({ format: 'notify [{bar}] {value}/{total} {eta_formatted} left' }, Presets.shades_classic) : undefined;
      bar?.start(count, 0);
      let next = 0;
      const send = async () => {
        while (next < count) {
          next += 1;
          const body =
            fixedBody ??
            JSON.stringify({
              transactionId: o.transactionId ?? `cli-${randomUUID()}`,
              amount: Number.isNaN(Number(o.amount)) ? o.amount : Number(o.amount),
              currency: o.currency,
              subscriber: o.phone,
              countryCode: o.country,
              operator: 'mm-cli',
              transaction_type: 'PayBill',
            });
          const messageId = o.messageId ?? randomUUID();
          const res = await fetch(`${o.url}/mm/1.0/payments/payment/${o.provider}/customers/${o.customer}/payments`, {
            method: 'POST',
            headers: {
              Authorization: bboxxAuthorization(secret, body, messageId, o.provider, o.customer),
              MessageID: messageId,
              MessageTimestamp: timestamp(),
              SMSSupport: o.sms ? 'Y' : 'N',
              'Content-Type': 'application/json',
            },
            body,
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (!bar) process.stdout.write(`${res.status} ${text}\n`);
          bar?.increment();
        }
      };
      await Promise.all(Array.from({ length: Math.min(count, Math.max(1, Number(o.concurrency))) }, send));
      bar?.stop();
      if (bar) process.stdout.write(`${[...statuses].map(([s, n]) => `${n} × HTTP ${s}`).join(', ')}\n`);
      if ([...statuses.keys()].some((s) => s !== 200)) process.exitCode = 1;
    });
}
