import { loadConfig } from '@mm/platform';
import { Client } from 'pg';
import { z } from 'zod';
import { LedgerConfigFields } from '../config';
import { replayPostings, type ReplayReport } from '../replay/replay-postings';

/**
 * `npm run replay -w @mm/ledger [-- --keep]`: rebuilds the postings from `events` into a scratch schema and
 * proves the balances come out identical. Prints both sides; exits 1 on any difference, 2 if it could not run.
 */
const ReplayConfigSchema = LedgerConfigFields.pick({ DATABASE_URL: true, DATABASE_MIGRATION_URL: true, DATABASE_SCHEMA: true }).extend({
  REPLAY_BATCH_SIZE: z.coerce.number().int().min(100).max(100_000).default(5000),
});

async function main(): Promise<number> {
  const config = loadConfig(ReplayConfigSchema, process.env);
  // The scratch schema needs CREATE, which only the owner role has when the roles are separate.
  const db = new Client({ connectionString: config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL });
  await db.connect();
  try {
    const report = await replayPostings(db, {
      schema: config.DATABASE_SCHEMA,
      batchSize: config.REPLAY_BATCH_SIZE,
      keepScratch: process.argv.includes('--keep'),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    print(report);
    return report.identical ? 0 : 1;
  } finally {
    await db.end();
  }
}

function print(r: ReplayReport): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out('');
  out(`${'account'.padEnd(40)} ${'currency'.padEnd(8)} ${'live'.padStart(22)} ${'replayed'.padStart(22)}`);
  for (const b of r.balances) {
    out(
      `${b.accountId.padEnd(40)} ${b.currency.padEnd(8)} ${(b.live ?? '-').padStart(22)} ${(b.replayed ?? '-').padStart(22)}${b.live === b.replayed ? '' : '  <- differs'}`,
    );
  }
  out('');
  for (const u of r.unbookable.slice(0, 20)) out(`stored event cannot be booked again: ${u}`);
  if (r.identical) out(`identical: ${r.events} events, ${r.balances.length} balances, every posting line matches`);
  else
    out(`DIFFERENT: ${r.differingBalances.length} balances, ${r.differingLines} posting lines, ${r.unbookable.length} unbookable events`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
