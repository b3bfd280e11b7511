import { ConfigError } from '@mm/platform';
import { loadConsoleConfig, secureCookies, signingJwkOf } from './config';

const base = {
  DATABASE_URL: 'postgres://x@127.0.0.1/db',
  CONSOLE_LEDGER_API_KEY: 'a-ledger-key-0123456789',
  CONSOLE_DEBIT_API_KEY: 'a-debit-key-0123456789',
};

describe('console config', () => {
  it('defaults to port 3004, the development signing key and Secure cookies off loopback only', () => {
    const config = loadConsoleConfig(base);
    expect(config.PORT).toBe(3004);
    expect(signingJwkOf(config)).toMatchObject({ kid: 'mm-dev-operator-1', kty: 'OKP', d: expect.any(String) });
    expect(secureCookies({ ...config, HOST: '0.0.0.0' })).toBe(true);
    expect(secureCookies({ ...config, HOST: '127.0.0.1' })).toBe(false);
    expect(secureCookies({ ...config, HOST: '127.0.0.1', CONSOLE_COOKIE_SECURE: 'true' })).toBe(true);
  });

  it('refuses the development key and keys under NODE_ENV=production, naming them without their values', () => {
    try {
      loadConsoleConfig({ ...base, NODE_ENV: 'production' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/CONSOLE_OPERATOR_SIGNING_KEY is a development value/);
      expect(problems).not.toContain('"d"');
    }
  });

  it.each([
    ['a public key only', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' })],
    ['no key id', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'def' })],
    ['not JSON', 'not-json'],
    ['nothing', ''],
  ])('refuses a signing key that is %s', (_what, key) => {
    expect(() => loadConsoleConfig({ ...base, CONSOLE_OPERATOR_SIGNING_KEY: key })).toThrow(/CONSOLE_OPERATOR_SIGNING_KEY/);
  });

  it('requires the service API keys and http(s) service URLs', () => {
    expect(() => loadConsoleConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/CONSOLE_LEDGER_API_KEY[\s\S]*CONSOLE_DEBIT_API_KEY/);
    expect(() => loadConsoleConfig({ ...base, CONSOLE_LEDGER_URL: 'file:///etc/passwd' })).toThrow(/CONSOLE_LEDGER_URL/);
  });
});
