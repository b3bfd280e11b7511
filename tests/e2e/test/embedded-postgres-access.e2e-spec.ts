import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Runs an ES module snippet against @mm/infra (it is .mjs, outside jest's CommonJS world); returns its stdout as JSON. */
function runScript(code: string, env: Record<string, string> = {}): unknown {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (run.status !== 0) throw new Error(`script failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** Root's embedded PostgreSQL runs as an unprivileged user: a private directory on its way is named, not a bare EACCES. */
describe('embedded PostgreSQL path access', () => {
  let base: string;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'mm-pg-access-'));
  });

  afterEach(() => {
    chmodSync(base, 0o755);
    rmSync(base, { recursive: true, force: true });
  });

  it('names the first directory the postgres user cannot enter, and the fixes; none once it may pass through', () => {
    const privateDir = join(base, 'private');
    mkdirSync(join(privateDir, 'clone', 'node_modules'), { recursive: true, mode: 0o700 });
    chmodSync(privateDir, 0o700);
    chmodSync(base, 0o755);
    const check = (dir: string) =>
      runScript(`
        import { embeddedPostgresAccessProblem } from '@mm/infra';
        const user = { name: 'postgres', uid: ${process.getuid!() + 4242}, gid: ${process.getgid!() + 4242} };
        console.log(JSON.stringify(embeddedPostgresAccessProblem({ binDir: ${JSON.stringify(join(dir, 'clone', 'node_modules'))}, dataDir: ${JSON.stringify(join(base, 'open'))}, user }) ?? null));
      `);
    const problem = check(privateDir);
    expect(problem).toContain(`cannot enter ${privateDir} (mode 700`);
    expect(problem).toContain('its binaries');
    expect(problem).toContain(`chmod o+x ${privateDir}`);
    chmodSync(privateDir, 0o711);
    chmodSync(join(privateDir, 'clone'), 0o755);
    chmodSync(join(privateDir, 'clone', 'node_modules'), 0o755);
    expect(check(privateDir)).toBeNull();
  });

  (process.getuid?.() === 0 ? it : it.skip)('as root, infra stops before starting anything when MM_INFRA_DIR is private', () => {
    chmodSync(base, 0o700);
    const infraDir = join(base, 'infra');
    const outcome = runScript(
      `
      import { startEmbeddedPostgres } from '@mm/infra';
      startEmbeddedPostgres().then(() => console.log(JSON.stringify('started')), (e) => console.log(JSON.stringify(e.message)));
    `,
      { MM_INFRA_DIR: infraDir, MM_EMBEDDED_PG_PORT: '1' },
    );
    expect(outcome).toMatch(new RegExp(`cannot enter ${base} \\(mode 700.*its data directory.*MM_INFRA_DIR`));
    expect(existsSync(join(infraDir, 'postgres.json'))).toBe(false); // no server was spawned
  });
});
