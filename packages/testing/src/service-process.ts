import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Peak resident set size (VmHWM) of a running process, in MB. */
export function peakRssMb(pid: number | undefined): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb ?? 0) / 1024);
}

export interface RunningService {
  name: string;
  url: string;
  process: ChildProcess;
  /** Everything the service wrote, for diagnostics. */
  output: () => string;
  /** Graceful stop (SIGTERM); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Crash (SIGKILL). */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The repository's `config/service-runtime.json` (this file runs from packages/testing/src or packages/testing/dist). */
export const SERVICE_RUNTIME_FILE = join(__dirname, '..', '..', '..', 'config', 'service-runtime.json');

/** What config/service-runtime.json pins for every service: the Node release and the V8 heap's two generations. */
export interface ServiceRuntime {
  /** The Node release the Dockerfile ships (`node:<node>-bookworm-slim`); tests and the benchmark also run it. */
  node: string;
  maxOldSpaceSizeMb: number;
  /** Each of the young generation's two semi-spaces. Node 24 sizes them from the old space (64 MB each beside 128 MB). */
  maxSemiSpaceSizeMb: number;
  /** glibc's malloc arenas (MALLOC_ARENA_MAX): one per thread by default, each holding freed memory as RSS. */
  mallocArenaMax: number;
}

export const SERVICE_RUNTIME = JSON.parse(readFileSync(SERVICE_RUNTIME_FILE, 'utf8')) as ServiceRuntime;

/**
 * The services' memory budget as deployed (Dockerfile, `npm start`), so tests and benchmarks run them alike. Written
 * once, in config/service-runtime.json; a unit test holds the Dockerfile to it.
 */
export const SERVICE_NODE_OPTIONS = `--max-old-space-size=${SERVICE_RUNTIME.maxOldSpaceSizeMb} --max-semi-space-size=${SERVICE_RUNTIME.maxSemiSpaceSizeMb}`;

/**
 * Starts a built service (`node [nodeArgs] <entry>`) and waits until it logs that it listens. `nodeArgs` are Node's
 * own options for this process only (a benchmark's `--cpu-prof`), beside the budget in NODE_OPTIONS.
 */
export async function startService(
  name: string,
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<RunningService> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: {
      NODE_OPTIONS: SERVICE_NODE_OPTIONS,
      MALLOC_ARENA_MAX: String(SERVICE_RUNTIME.mallocArenaMax),
      ...process.env,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: port,
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} during start-up:\n${output.slice(-4000)}`));
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
