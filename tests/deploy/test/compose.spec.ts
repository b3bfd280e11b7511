import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, SERVICES } from './support/services';

interface ComposeService {
  image?: string;
  build?: { args?: Record<string, string> };
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

/** docker-compose.yml as Compose reads it (YAML merge keys resolved). */
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const initSql = readFileSync(join(ROOT, 'docker', 'postgres-init.sql'), 'utf8');
const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

describe('docker-compose.yml', () => {
  it('runs Kafka, PostgreSQL, every service and the operators seed, nothing else', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['kafka', 'postgres', 'console-operators', ...SERVICES.map((s) => s.name)].sort());
    expect(service('kafka').image).toBe('apache/kafka:3.9.1');
    expect(service('kafka').ports).toEqual(['127.0.0.1:9092:9092']);
    expect(service('postgres').ports).toEqual(['127.0.0.1:5432:5432']);
    for (const infra of ['kafka', 'postgres']) expect(service(infra).healthcheck?.test.length).toBeGreaterThan(0);
  });

  it.each(SERVICES)('$name: built from its app, on its default port, healthy when ready, in development', (s) => {
    const c = service(s.name);
    expect(c.build?.args).toEqual({ APP: s.name });
    expect(c.ports).toEqual([`127.0.0.1:${s.port}:${s.port}`]);
    expect(c.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${s.port}/health/ready`);
    // The image sets NODE_ENV=production, which refuses the development keys this stack uses.
    expect(c.environment?.NODE_ENV).toBe('development');
    expect(c.environment?.PORT).toBeUndefined();
  });

  it.each(SERVICES)('$name: starts after what it needs, in the database of its own that PostgreSQL creates', (s) => {
    const c = service(s.name);
    const url = c.environment?.DATABASE_URL;
    if (s.ownsSchema) {
      expect(c.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      const db = /^postgres:\/\/[^@]+@postgres:5432\/(mm_[a-z]+)$/.exec(String(url))?.[1];
      expect(initSql).toContain(`create database ${db};`);
    } else expect(url).toBeUndefined();
    if (s.usesKafka) {
      expect(c.depends_on?.kafka).toEqual({ condition: 'service_healthy' });
      expect(c.environment?.KAFKA_BROKERS).toBe('kafka:19092');
    } else expect(c.depends_on?.kafka).toBeUndefined();
  });

  it('wires the services to one another by their compose names and ports', () => {
    const port = (name: string) => SERVICES.find((s) => s.name === name)?.port;
    expect(service('payment-debit').environment?.BIXI_BASE_URL).toBe(`http://bixi-sandbox:${port('bixi-sandbox')}`);
    expect(service('payment-debit').depends_on?.['bixi-sandbox']).toEqual({ condition: 'service_healthy' });
    const consoleEnv = service('console').environment;
    expect(consoleEnv).toMatchObject({
      CONSOLE_LEDGER_URL: `http://ledger:${port('ledger')}`,
      CONSOLE_DEBIT_URL: `http://payment-debit:${port('payment-debit')}`,
      CONSOLE_INGEST_URL: `http://notification-ingest:${port('notification-ingest')}`,
    });
    // The console's API keys are the services' own (the same variables with the same development defaults).
    expect(consoleEnv?.CONSOLE_LEDGER_API_KEY).toBe(service('ledger').environment?.LEDGER_API_KEY);
    expect(consoleEnv?.CONSOLE_DEBIT_API_KEY).toBe(service('payment-debit').environment?.DEBIT_API_KEY);
    expect(consoleEnv).not.toHaveProperty('CONSOLE_OPERATOR_SIGNING_KEY');
    expect(service('console').depends_on?.['console-operators']).toEqual({ condition: 'service_completed_successfully' });
    expect(service('console-operators').command).toEqual(['node', 'dist/cli/seed-operators.js']);
  });
});
