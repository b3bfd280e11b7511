// The fault suite's private Kafka and embedded PostgreSQL: brought up, stopped and brought back, patiently. On a slow
// box a probe can time out while a server is merely busy; @mm/infra's `up` would then start a second server on the
// same port and data directory. So before `up` the server that stays up must answer, and `up` itself is retried until
// both answer, for at most 60 s (UP_WAIT_MS) beyond their own start-up.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const UP_WAIT_MS = 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True when something accepts a TCP connection on 127.0.0.1:`port` within 2 s. */
function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `infra` is @mm/infra (loaded after MM_INFRA_DIR and the ports are set); `say` logs one line. */
export function chaosInfra({ infra, queryOnce, say }) {
  const state = (name) => JSON.parse(readFileSync(join(process.env.MM_INFRA_DIR, name), 'utf8'));
  const kafkaPort = Number(process.env.MM_KAFKA_PORT);
  const pgUrl = `postgres://postgres:postgres@127.0.0.1:${process.env.MM_EMBEDDED_PG_PORT}/postgres`;
  const pgAnswers = () =>
    queryOnce(pgUrl, 'select 1').then(
      () => true,
      () => false,
    );

  async function until(what, probe) {
    const deadline = Date.now() + UP_WAIT_MS;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`${what} did not answer within ${UP_WAIT_MS / 1000} s`);
      await sleep(1000);
    }
  }

  /** `infra.up()`, retried for at most 60 s, then both servers answer; returns its environment. */
  async function up() {
    const deadline = Date.now() + UP_WAIT_MS;
    for (;;) {
      try {
        const { env } = await infra.up();
        await until('Kafka', () => portAnswers(kafkaPort));
        await until('PostgreSQL', pgAnswers);
        return env;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        say(`infrastructure not ready yet (${error.message.split('\n')[0]}); trying again`);
        await sleep(2000);
      }
    }
  }

  async function stopKafka(seconds) {
    const { pid } = state('kafka.json');
    say(`stopping Kafka (pid ${pid}) for ${seconds} s`);
    process.kill(-pid, 'SIGKILL');
    await sleep(seconds * 1000);
    await until('PostgreSQL', pgAnswers); // so that `up` reuses it rather than start another
    await up();
    say('Kafka is back');
  }

  async function stopPostgres(seconds) {
    const { pid } = state('postgres.json');
    say(`stopping PostgreSQL (embedded, pid ${pid}) for ${seconds} s`);
    process.kill(pid, 'SIGTERM');
    await until('the stopped PostgreSQL to exit', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    await sleep(seconds * 1000);
    await until('Kafka', () => portAnswers(kafkaPort)); // so that `up` reuses it rather than start another
    await up();
    say('PostgreSQL is back');
  }

  return { up, stopKafka, stopPostgres };
}
