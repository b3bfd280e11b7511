#!/usr/bin/env node
// The ledger's ceiling, measured in the same run as its catch-up: PostgreSQL's own best for the very rows catch-up
// booked. The accounts, events, journal entries and postings of a booked database are read out first (not timed),
// then COPYed into a fresh database migrated by the ledger's real migrations (same indexes, foreign keys and
// triggers), sharded over one connection per core. Each shard is one transaction: its events, then their entries,
// then their postings, so the foreign keys and the statement-level balance trigger check every row as they do for
// the consumer. Used by catch-up.bench.js; on its own: node apps/ledger/bench/copy-ceiling.js <booked database URL>
const { cpus } = require('node:os');
const { join } = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Readable, Writable } = require('node:stream');
const { Client } = require('pg');
const { from: copyFrom, to: copyTo } = require('pg-copy-streams');
const { createTestDatabase } = require('@mm/testing');

const SCHEMA = 'ledger';
/** Which shard a row belongs to, by its event: all rows of one event (and so one journal entry) share a shard. */
const shardOf = (column, shards, shard) => `abs(hashtext(${column})) % ${shards} = ${shard}`;
const TABLES = [
  { table: 'accounts', columns: 'id, created_at', where: (n, k) => shardOf('id', n, k) },
  {
    table: 'events',
    columns: 'id, type, source, subject, time, correlation_id, causation_id, topic, kafka_partition, kafka_offset, envelope, received_at',
    where: (n, k) => shardOf('id', n, k),
  },
  { table: 'journal_entries', columns: 'id, event_id, booked_at', where: (n, k) => shardOf('event_id', n, k) },
  {
    table: 'postings',
    columns: 'id, entry_id, account_id, currency, amount_minor',
    where: (n, k) => `entry_id in (select id from ${SCHEMA}.journal_entries where ${shardOf('event_id', n, k)})`,
  },
];

async function connect(url) {
  const client = new Client({ connectionString: url, options: `-c search_path=${SCHEMA},public` });
  await client.connect();
  return client;
}

/** One table's rows of one shard, in COPY text format, held in memory so reading costs the timed part nothing. */
async function readShard(client, { table, columns, where }, shards, shard) {
  const chunks = [];
  const sql = `copy (select ${columns} from ${SCHEMA}.${table} where ${where(shards, shard)} order by 1) to stdout`;
  await pipeline(
    client.query(copyTo(sql)),
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return { table, columns, data: chunks, bytes: chunks.reduce((n, c) => n + c.length, 0) };
}

const load = (client, { table, columns, data }) =>
  pipeline(Readable.from(data), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)));

/** Migrates a fresh database with the ledger's own migrations (from its build) and returns it. */
async function migratedDatabase() {
  const { initialiseDataSource } = require('@mm/platform');
  const { ledgerDataSourceOptions } = require(join(__dirname, '..', 'dist', 'data-source.js'));
  const db = await createTestDatabase('ledger_copy_ceiling');
  const ds = await initialiseDataSource(
    ledgerDataSourceOptions({ DATABASE_URL: db.url, DATABASE_SCHEMA: SCHEMA, DATABASE_POOL_SIZE: 1 }, true),
  );
  await ds.destroy();
  return db;
}

/** COPY rows per second into the migrated schema, for the rows booked in `sourceUrl`. */
async function copyCeiling(sourceUrl, shards = cpus().length) {
  const source = await connect(sourceUrl);
  const plan = [];
  try {
    for (let k = 0; k < shards; k++) {
      const shard = [];
      for (const t of TABLES) shard.push(await readShard(source, t, shards, k));
      plan.push(shard);
    }
  } finally {
    await source.end();
  }
  const rows = plan.flat().reduce((n, t) => n + t.data.reduce((m, c) => m + countLines(c), 0), 0);
  const count = (table) => plan.reduce((n, s) => n + s.find((t) => t.table === table).data.reduce((m, c) => m + countLines(c), 0), 0);
  const db = await migratedDatabase();
  const clients = await Promise.all(plan.map(() => connect(db.url)));
  try {
    const t0 = process.hrtime.bigint();
    // Accounts first (postings reference them), then each shard's events, entries and postings in one transaction.
    await Promise.all(clients.map((c, k) => load(c, plan[k][0])));
    await Promise.all(
      clients.map(async (c, k) => {
        await c.query('begin');
        for (const t of plan[k].slice(1)) await load(c, t);
        await c.query('commit');
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const events = count('events');
    return {
      shards,
      rows,
      events,
      postings: count('postings'),
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
      eventsPerSecond: Math.round(events / seconds),
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.end()));
    await db.drop();
  }
}

function countLines(buffer) {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}

module.exports = { copyCeiling };

if (require.main === module) {
  copyCeiling(process.argv[2]).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
