// The Node release every service ships on (config/service-runtime.json, the Dockerfile's image), for the scripts that
// must run the services on it rather than on the machine's own Node: `npm test` (its Node 24 pass) and `npm run bench`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned release, e.g. "24.21.0". */
export const RUNTIME_NODE_VERSION = JSON.parse(readFileSync(join(ROOT, 'config', 'service-runtime.json'), 'utf8')).node;

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
