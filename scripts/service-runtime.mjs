// config/service-runtime.json for the repository's scripts: the Node release every service ships on (the Dockerfile's
// image), which `npm test`'s Node 24 pass and `npm run bench` run on, and the environment `npm start` runs each service
// with (its memory budget, as the Dockerfile sets it). @mm/testing reads the same file for the test helpers.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const RUNTIME = JSON.parse(readFileSync(join(ROOT, 'config', 'service-runtime.json'), 'utf8'));

/** The pinned release, e.g. "24.21.0". */
export const RUNTIME_NODE_VERSION = RUNTIME.node;

/** Each service's memory budget, as the Dockerfile's ENV sets it (keeps its peak RSS under 200 MB; README, Performance). */
export const SERVICE_RUNTIME_ENV = {
  NODE_OPTIONS: `--max-old-space-size=${RUNTIME.maxOldSpaceSizeMb} --max-semi-space-size=${RUNTIME.maxSemiSpaceSizeMb}`,
  MALLOC_ARENA_MAX: String(RUNTIME.mallocArenaMax),
};

/**
 * The path of that release's `node`: this process's own when it already is that release, otherwise the npm registry's
 * `node@<version>` package (installed once into npm's cache by npx). Throws with npx's error when it cannot be had.
 */
export function runtimeNode(env = process.env) {
  if (process.versions.node === RUNTIME_NODE_VERSION) return process.execPath;
  const found = spawnSync('npx', ['-y', '-p', `node@${RUNTIME_NODE_VERSION}`, '--', 'node', '-p', 'process.execPath'], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  const node = found.stdout?.trim().split('\n').pop();
  if (found.status !== 0 || !node)
    throw new Error(`could not install node@${RUNTIME_NODE_VERSION} from the npm registry: ${found.stderr?.slice(-500)}`);
  return node;
}
