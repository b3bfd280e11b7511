import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEV_OPERATOR_PUBLIC_KEYS, OperatorVerifier } from '@mm/platform';

const main = join(__dirname, '..', '..', 'dist', 'main.js');
const verifier = new OperatorVerifier({
  OPERATOR_JWT_PUBLIC_KEYS: DEV_OPERATOR_PUBLIC_KEYS,
  OPERATOR_JWT_ISSUER: 'mm',
  OPERATOR_JWT_AUDIENCE: 'mm',
});

describe('mm operator token', () => {
  it('mints a development token the services verify, with the roles asked for', async () => {
    const token = execFileSync(process.execPath, [main, 'operator', 'token', '--sub', 'alice', '--role', 'maker', '--role', 'viewer'], {
      encoding: 'utf8',
    }).trim();
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'alice', roles: ['maker', 'viewer'] });
  });

  it('refuses an unknown role and an unbounded lifetime', () => {
    for (const args of [
      ['--role', 'admin'],
      ['--role', 'maker', '--ttl', '999999'],
    ]) {
      const r = spawnSync(process.execPath, [main, 'operator', 'token', '--sub', 'alice', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--role must be one of|--ttl must be/);
    }
  });
});
