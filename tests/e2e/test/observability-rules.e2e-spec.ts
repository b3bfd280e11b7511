import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RULES_FILE, RULES_TEST_FILE, SCRAPE_CONFIG_FILE } from './observability-files';

const run = promisify(execFile);
/** Debian's `prometheus` package provides it (.ci/run installs it); the suite fails, never skips, without it. */
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

const promtool = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${PROMTOOL} is not installed (apt-get install prometheus)`);
    return { code: e.code, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
};

describe('the Prometheus rules and scrape config (observability/prometheus)', () => {
  it('promtool check rules accepts the alerts', async () => {
    const { code, output } = await promtool('check', 'rules', RULES_FILE);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/SUCCESS: \d+ rules found/) });
  });

  it('promtool test rules passes: each alert fires when it should and stays quiet on a near miss', async () => {
    const { code, output } = await promtool('test', 'rules', RULES_TEST_FILE);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('promtool check config accepts the scrape config with its rule file', async () => {
    const { code, output } = await promtool('check', 'config', SCRAPE_CONFIG_FILE);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('is valid prometheus config file syntax') });
  });
});
