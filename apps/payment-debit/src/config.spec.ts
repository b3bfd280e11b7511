import { ConfigError, DEV_OPERATOR_PUBLIC_KEYS } from '@mm/platform';
import { PRODUCTION_KAFKA_ENV } from '@mm/testing';
import { loadDebitConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://debit@db.internal/mm_debit',
  DEBIT_API_KEY: 'k3y-0f-the-debit-api-0123456789',
  BIXI_BASE_URL: 'https://api.bixi.example.net',
  BIXI_API_TOKEN: 'b1x1-t0ken-0123456789abcdef',
  // Operators' public keys as production configures them (not the repository's development key).
  OPERATOR_JWT_PUBLIC_KEYS:
    '{"keys":[{"crv":"Ed25519","x":"9-qhQ07tgb87B-v5E_3dZGr0frLoqKI6_TouyQZWns4","kty":"OKP","kid":"ops-2026-12","alg":"EdDSA","use":"sig"}]}',
  // What production requires of Kafka, so each case below fails on one variable.
  ...PRODUCTION_KAFKA_ENV,
};
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadDebitConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('payment-debit configuration', () => {
  it('accepts real-looking values in production and defaults the command age to 15 minutes', () => {
    const config = loadDebitConfig({ ...base, BIXI_BASE_URL: 'https://bixi.internal', NODE_ENV: 'production' });
    expect(config).toMatchObject({ NODE_ENV: 'production', DEBIT_MAX_COMMAND_AGE_MS: 900_000, DEBIT_POISON_MAX_ATTEMPTS: 3 });
  });

  it('defaults the body limit to 16 KiB, the fetch to 256 KiB a partition, every partition at once and 2 statements of 200 commands', () => {
    expect(loadDebitConfig(base)).toMatchObject({
      HTTP_BODY_LIMIT_BYTES: 16 * 1024,
      DEBIT_MAX_BYTES_PER_PARTITION: 256 * 1024,
      DEBIT_PARTITIONS_CONCURRENCY: 6,
      DEBIT_BATCH_MAX: 200,
      DEBIT_BATCH_CONCURRENCY: 2,
    });
  });

  it('has no debit limits unless DEBIT_LIMITS is set (production needs none), and names DEBIT_LIMITS when it is wrong', () => {
    expect(loadDebitConfig({ ...base, NODE_ENV: 'production' }).DEBIT_LIMITS).toBeNull();
    const limits = '{"windowMs":3600000,"perRequester":{"maxAmount":{"USD":"100000"}}}';
    expect(loadDebitConfig({ ...base, DEBIT_LIMITS: limits }).DEBIT_LIMITS).toEqual({
      windowMs: 3_600_000,
      perRequester: { maxAmount: { USD: '100000' } },
    });
    const problems = problemsOf({ ...base, DEBIT_LIMITS: '{"windowMs":3600000,"perAccount":{"maxAmount":{"USD":10.5}}}' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DEBIT_LIMITS: /);
  });

  it.each([
    ['the .env.example API key', { DEBIT_API_KEY: 'dev-debit-api-key-change-me' }, 'DEBIT_API_KEY'],
    ['the test API key', { DEBIT_API_KEY: 'debit-test-api-key-000001' }, 'DEBIT_API_KEY'],
    ['the .env.example Bixi token', { BIXI_API_TOKEN: 'dev-bixi-api-token-change-me' }, 'BIXI_API_TOKEN'],
    ['the test Bixi token', { BIXI_API_TOKEN: 'bixi-test-token-0001' }, 'BIXI_API_TOKEN'],
    ['a plain-HTTP Bixi', { BIXI_BASE_URL: 'http://127.0.0.1:4010' }, 'BIXI_BASE_URL'],
    ["the repository's development operator key", { OPERATOR_JWT_PUBLIC_KEYS: DEV_OPERATOR_PUBLIC_KEYS }, 'OPERATOR_JWT_PUBLIC_KEYS'],
  ])('refuses %s under NODE_ENV=production, naming the variable and never its value', (_name, change, variable) => {
    const env = { ...base, ...change, NODE_ENV: 'production' };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(problems.join(' ')).not.toContain(Object.values(change)[0]);
    // The same values are fine for development and tests.
    expect(problemsOf({ ...base, ...change })).toEqual([]);
  });
});
