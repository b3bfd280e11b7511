import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config';
import { kafkaClientSecurity, kafkaEnv, kafkaRules, kafkaSecurityFromEnv } from './kafka-security';

const schema = z.object({ NODE_ENV: env.nodeEnv(), ...kafkaEnv }).superRefine(kafkaRules);
const load = (source: NodeJS.ProcessEnv) => loadConfig(schema, source);
const problems = (source: NodeJS.ProcessEnv): string => {
  try {
    load(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

const SECRET = 'sw0rdf1sh-kafka-password';
const productionKafka = {
  NODE_ENV: 'production',
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'ledger',
  KAFKA_SASL_PASSWORD: SECRET,
  KAFKA_REPLICATION_FACTOR: '3',
  KAFKA_MIN_INSYNC_REPLICAS: '2',
};

describe('kafkaEnv and kafkaRules', () => {
  it('defaults to the development broker: no TLS, no SASL, one replica', () => {
    expect(load({})).toMatchObject({ KAFKA_SSL: false, KAFKA_REPLICATION_FACTOR: 1, KAFKA_MIN_INSYNC_REPLICAS: 1 });
    expect(kafkaClientSecurity(load({}))).toEqual({});
  });

  it('accepts a production setup: TLS, SCRAM-SHA-512, three replicas, two in sync', () => {
    expect(load(productionKafka)).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_REPLICATION_FACTOR: 3 });
  });

  it('refuses SASL PLAIN without TLS in every environment, naming the variable and not the password', () => {
    const message = problems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET });
    expect(message).toMatch(/KAFKA_SASL_MECHANISM: plain sends the password in clear/);
    expect(message).not.toContain(SECRET);
  });

  it('refuses an unknown mechanism, credentials without a mechanism, and two password sources', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'gssapi' })).toMatch(/KAFKA_SASL_MECHANISM/);
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET })).toMatch(/KAFKA_SASL_MECHANISM.*required/);
    const both = problems({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: SECRET,
      KAFKA_SASL_PASSWORD_FILE: '/p',
    });
    expect(both).toMatch(/KAFKA_SASL_PASSWORD: set exactly one/);
    expect(both).not.toContain(SECRET);
    expect(problems({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: SECRET })).toMatch(/KAFKA_SASL_USERNAME is required/);
  });

  it('refuses TLS files without KAFKA_SSL, and a certificate without its key', () => {
    expect(problems({ KAFKA_SSL_CA_FILE: '/ca.pem' })).toMatch(/KAFKA_SSL: KAFKA_SSL=true is required/);
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/c.pem' })).toMatch(
      /KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together/,
    );
  });

  it('refuses min.insync.replicas above the replication factor (every acks=all write would fail)', () => {
    expect(problems({ KAFKA_MIN_INSYNC_REPLICAS: '2' })).toMatch(/KAFKA_MIN_INSYNC_REPLICAS above KAFKA_REPLICATION_FACTOR/);
  });

  it('with NODE_ENV=production refuses plaintext, no authentication, RF < 3 and min ISR < 2', () => {
    const message = problems({ NODE_ENV: 'production' });
    expect(message).toMatch(/KAFKA_SSL: KAFKA_SSL=true is required when NODE_ENV=production/);
    expect(message).toMatch(/KAFKA_SASL_MECHANISM: NODE_ENV=production requires Kafka authentication/);
    expect(message).toMatch(/KAFKA_REPLICATION_FACTOR: KAFKA_REPLICATION_FACTOR must be at least 3/);
    expect(message).toMatch(/KAFKA_MIN_INSYNC_REPLICAS: KAFKA_MIN_INSYNC_REPLICAS must be at least 2/);
    expect(problems({ ...productionKafka, KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '1' })).toMatch(
      /KAFKA_REPLICATION_FACTOR must be at least 3/,
    );
    // The same RF=1 passes outside production (the single-node development broker).
    expect(
      load({ ...productionKafka, NODE_ENV: 'development', KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '1' })
        .KAFKA_REPLICATION_FACTOR,
    ).toBe(1);
  });

  it('accepts mutual TLS as production authentication', () => {
    expect(() =>
      load({
        ...productionKafka,
        KAFKA_SASL_MECHANISM: undefined,
        KAFKA_SASL_USERNAME: undefined,
        KAFKA_SASL_PASSWORD: undefined,
        KAFKA_SSL_CERT_FILE: '/c',
        KAFKA_SSL_KEY_FILE: '/k',
      }),
    ).not.toThrow();
  });
});

describe('kafkaClientSecurity', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mm-kafka-security-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns the variables into kafkajs ssl and sasl options, reading the CA and the password file', () => {
    writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
    writeFileSync(join(dir, 'password'), `${SECRET}\n`);
    const options = kafkaClientSecurity(
      load({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'ledger',
        KAFKA_SASL_PASSWORD_FILE: join(dir, 'password'),
      }),
    );
    expect(options).toEqual({ ssl: { ca: ['CA PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'ledger', password: SECRET } });
  });

  it('kafkaSecurityFromEnv (the CLI) applies the connection rules but not topic replication, which it never creates', () => {
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET })).toThrow(
      /plain sends the password in clear/,
    );
    expect(() => kafkaSecurityFromEnv({ NODE_ENV: 'production' })).toThrow(/KAFKA_SSL=true is required when NODE_ENV=production/);
    expect(
      kafkaSecurityFromEnv({ ...productionKafka, KAFKA_REPLICATION_FACTOR: undefined, KAFKA_MIN_INSYNC_REPLICAS: undefined }),
    ).toMatchObject({ sasl: { username: 'ledger' } });
  });

  it('an unreadable file is a ConfigError naming the variable, never a stack of fs internals', () => {
    const config = load({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing'),
    });
    expect(() => kafkaClientSecurity(config)).toThrow(/KAFKA_SASL_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/);
  });
});
