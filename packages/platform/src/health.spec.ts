import { HttpException, Logger } from '@nestjs/common';
import { HealthController, type ReadinessCheck } from './health';
import { Registry } from 'prom-client';

const up = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const down = (name: string, message: string, optional = false): ReadinessCheck => ({
  name,
  optional,
  check: async () => {
    throw new Error(message);
  },
});
const LEAK = 'connect ECONNREFUSED 10.1.2.3:5432 password authentication failed for user "mm_ingest"';

/** What /health/ready answers: [status, body]. */
async function ready(checks: ReadinessCheck[]): Promise<[number, unknown]> {
  try {
    return [200, await new HealthController(checks).ready()];
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return [error.getStatus(), error.getResponse()];
  }
}

describe('HealthController /health/ready', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('answers 200 with each check up', async () => {
    expect(await ready([up('postgres'), up('kafka')])).toEqual([
      200,
      { status: 'ok', checks: { postgres: { status: 'up' }, kafka: { status: 'up' } } },
    ]);
  });

  it('answers 503 naming only the status of a required check that is down; the error text is logged, never returned', async () => {
    const [status, body] = await ready([down('postgres', LEAK), up('kafka')]);
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unavailable', checks: { postgres: { status: 'down' }, kafka: { status: 'up' } } });
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ check: 'postgres', err: expect.objectContaining({ message: LEAK }) }),
      expect.any(String),
    );
  });

  it('stays ready (200) when only an optional check fails, reporting it degraded', async () => {
    const [status, body] = await ready([up('postgres'), down('kafka', 'There is no leader for this topic-partition', true)]);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'degraded', checks: { postgres: { status: 'up' }, kafka: { status: 'degraded' } } });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('gives an optional check that hangs (a broker that never answers) 500 ms, so the probe stays quick', async () => {
    jest.useFakeTimers();
    try {
      const hanging: ReadinessCheck = { name: 'kafka', optional: true, check: () => new Promise<void>(() => undefined) };
      const answer = new HealthController([up('postgres'), hanging]).ready();
      await jest.advanceTimersByTimeAsync(500);
      await expect(answer).resolves.toEqual({ status: 'degraded', checks: { postgres: { status: 'up' }, kafka: { status: 'degraded' } } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs a failing check once per change, not at every probe', async () => {
    const controller = new HealthController([down('postgres', 'refused')]);
    for (let i = 0; i < 3; i++) await controller.ready().catch(() => undefined);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('service_ready', () => {
  const scrape = async (checks: ReadinessCheck[]) => {
    const registry = new Registry();
    new HealthController(checks, registry);
    return (await registry.getSingleMetric('service_ready')?.get())?.values[0]?.value;
  };

  it('is 1 when every required check answers, also with an optional one degraded', async () => {
    expect(await scrape([up('postgres')])).toBe(1);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await scrape([up('postgres'), down('kafka', 'refused', true)])).toBe(1);
  });

  it('is 0 when a required check fails, measured at scrape time', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let healthy = true;
    const flapping: ReadinessCheck = {
      name: 'postgres',
      check: async () => {
        if (!healthy) throw new Error('refused');
      },
    };
    const registry = new Registry();
    new HealthController([flapping], registry);
    const value = async () => (await registry.getSingleMetric('service_ready')?.get())?.values[0]?.value;
    expect(await value()).toBe(1);
    healthy = false;
    expect(await value()).toBe(0);
    expect(await scrape([down('postgres', 'refused')])).toBe(0);
  });
});
