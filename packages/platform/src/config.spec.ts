import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config';

const schema = z.object({ PORT: env.port(3001), KAFKA_BROKERS: env.brokers(), DATABASE_URL: env.databaseUrl(), FLAG: env.bool(false) });

describe('loadConfig', () => {
  it('applies defaults and coerces', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://u@h/db', FLAG: 'yes' })).toEqual({
      PORT: 3001,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      DATABASE_URL: 'postgres://u@h/db',
      FLAG: true,
    });
  });

  it('names every bad variable and never echoes a value', () => {
    const secretish = 'mysql://root:hunter2@db/x';
    let error: unknown;
    try {
      loadConfig(schema, { PORT: '70000', KAFKA_BROKERS: 'nohostport', DATABASE_URL: secretish });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/KAFKA_BROKERS/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain('hunter2');
  });
});
