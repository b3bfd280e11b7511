#!/usr/bin/env node
// `npm test`: brings up what the tests need (Kafka, PostgreSQL), builds, runs every package's jest suites
// (unit, integration and end-to-end, against the real broker and database), stops what it started, and ends
// with one line "N passed, N failed" for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { down, ROOT, up } from '@mm/infra';
import { runtimeNode } from './service-runtime.mjs';

const resultsDir = join(ROOT, '.infra', 'test-results');
const extraArgs = process.argv.slice(2);

/**
 * Every test file runs in a Kafka namespace of its own (`test.<run>.<random>.`, set by scripts/jest-kafka-namespace.js),
 * so suites running side by side never read each other's messages and nothing reaches the unprefixed topics that
 * `npm start` uses. This run's topics are deleted at the end.
 */
const RUN = `r${Date.now().toString(36)}`;
async function deleteTestTopics(brokers) {
  const require = createRequire(import.meta.url);
  const { deleteTopicsWithPrefix } = require(join(ROOT, 'packages', 'testing', 'dist', 'index.js'));
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({ clientId: 'mm-test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const deleted = await deleteTopicsWithPrefix(kafka, `test.${RUN}.`).catch((e) =>
    console.error(`[test] could not delete test topics: ${e.message}`),
  );
  if (deleted) console.log(`[test] deleted the run's ${deleted} test topics`);
}

function run(cmd, args, env, cwd = ROOT) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/**
 * The machine's Node is 20 (past its end of life); the services are also proven on the supported LTS, Node 24 from the
 * npm registry's `node` package: every package's unit suites and one end-to-end flow (jest runs on Node 24, and so do
 * the services it starts, through process.execPath).
 */
const NODE_24_SUITES = [
  ['packages/contracts', ['--testRegex', '\\.spec\\.ts$']],
  ['packages/platform', ['--testRegex', '\\.spec\\.ts$']],
  ['apps/notification-ingest', ['--testRegex', '\\.spec\\.ts$']],
  ['apps/payment-debit', ['--testRegex', '\\.spec\\.ts$']],
  ['apps/ledger', ['--testRegex', '\\.spec\\.ts$']],
  ['apps/bixi-sandbox', ['--testRegex', '\\.spec\\.ts$']],
  ['apps/console', ['--testRegex', '\\.spec\\.ts$']],
  ['tests/e2e', ['test/walking-skeleton.e2e-spec.ts']],
];
function runOnNode24(env) {
  let node;
  try {
    node = runtimeNode({ ...process.env, ...env });
  } catch (error) {
    console.error(`[test] ${error.message}`);
    return 1;
  }
  console.log(`[test] again on ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${node})`);
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  let status = 0;
  for (const [dir, args] of NODE_24_SUITES) {
    const code = run(node, [jest, ...args], { ...env, MM_TEST_RESULTS_SUFFIX: '.node24' }, join(ROOT, dir));
    if (code !== 0) status = code;
  }
  return status;
}

let started = { kafka: false, postgres: false };
let brokers;
let exitCode = 1;
let chaosResult;
const t0 = Date.now();
try {
  const infra = await up();
  brokers = infra.env.KAFKA_BROKERS;
  started = infra.started;
  const env = {
    ...infra.env,
    MM_TEST_RESULTS_DIR: resultsDir,
    MM_TEST_RUN: RUN,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    FORCE_COLOR: '0',
  };
  rmSync(resultsDir, { recursive: true, force: true });
  // Build, type-check (tests included) and lint first: a type error or lint failure fails the run like a test.
  const built = run('npx', ['turbo', 'run', 'build', 'typecheck', 'lint', '--output-logs=errors-only'], env);
  if (built !== 0 || run('npm', ['run', '--silent', 'lint:scripts'], env) !== 0) throw new Error('build, typecheck or lint failed');
  // The layers (.dependency-cruiser.cjs): no cycles, use cases never import their adapters, packages never import apps.
  if (run('npm', ['run', '--silent', 'lint:deps'], env) !== 0) throw new Error('dependency rules failed (npm run lint:deps)');
  // One format for the repository (Prettier; Markdown is hand-wrapped, see .prettierignore).
  if (run('npm', ['run', '--silent', 'format:check'], env) !== 0) throw new Error('formatting differs from Prettier (npm run format)');
  // Three packages' suites at once: most of their time is spent waiting on Kafka and PostgreSQL (consumer-group joins,
  // service start-ups), so a third lane fills the idle CPU and keeps the run within CI's time on a 2-core machine.
  exitCode = run('npx', ['turbo', 'run', 'test', '--concurrency=3', '--continue', '--output-logs=full', ...extraArgs], env);
  if (process.env.MM_SKIP_NODE24 !== '1' && extraArgs.length === 0) {
    const node24 = runOnNode24(env);
    if (node24 !== 0) exitCode = node24;
  }
  // The short fault suite (bench/chaos.mjs, on its own private Kafka and PostgreSQL) counts as one more test. It runs
  // two instances of each scaled service (the single-instance faults, plus rebalances and two outbox relays).
  if (process.env.MM_SKIP_CHAOS !== '1' && extraArgs.length === 0) {
    const chaos = run(process.execPath, [join(ROOT, 'bench', 'chaos.mjs')], { ...env, CHAOS_SHORT: '1', CHAOS_INSTANCES: '2' });
    chaosResult = chaos === 0 ? 'passed' : 'failed';
    if (chaos !== 0) exitCode = chaos;
  }
} catch (error) {
  console.error(`[test] ${error.message}`);
  exitCode = 1;
} finally {
  if (brokers) await deleteTestTopics(brokers);
  await down(started).catch((e) => console.error(`[test] teardown: ${e.message}`));
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(resultsDir)) {
  for (const file of readdirSync(resultsDir)) {
    const r = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
}
if (chaosResult === 'passed') passed += 1;
if (chaosResult === 'failed') failed += 1;
if (exitCode !== 0 && failed === 0) failed = 1; // a build or runner failure counts, even with no test reported
console.log(`[test] finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode);
