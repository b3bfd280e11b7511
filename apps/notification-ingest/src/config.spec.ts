import { ConfigError } from '@mm/platform';
import { PRODUCTION_KAFKA_ENV } from '@mm/testing';
import { loadIngestConfig } from './config';

const base = { DATABASE_URL: 'postgres://u@h/db', INGEST_CREDENTIALS: '{}' };

describe('loadIngestConfig', () => {
  it('defaults to development, a bounded write queue and a 30 s request timeout', () => {
    expect(loadIngestConfig(base)).toMatchObject({ NODE_ENV: 'development', INGEST_QUEUE_MAX: 1000, HTTP_REQUEST_TIMEOUT_MS: 30_000 });
  });

  it('reads NODE_ENV=production (which makes the credential loader refuse development secrets)', () => {
    expect(loadIngestConfig({ ...base, ...PRODUCTION_KAFKA_ENV, NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });

  it.each([
    ['NODE_ENV', 'prod'],
    ['INGEST_QUEUE_MAX', '-1'],
    ['HTTP_REQUEST_TIMEOUT_MS', '10'],
  ])('refuses %s=%s naming it', (name, value) => {
    expect(() => loadIngestConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ ...base, [name]: value })).toThrow(new RegExp(name));
  });
});
