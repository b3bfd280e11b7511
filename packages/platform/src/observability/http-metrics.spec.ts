import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { HTTP_DURATION_METRIC, installHttpMetrics, UNMATCHED_ROUTE } from './http-metrics';

async function served(): Promise<{ registry: Registry; fastify: FastifyInstance }> {
  const registry = new Registry();
  const fastify = new FastifyAdapter().getInstance<FastifyInstance>();
  installHttpMetrics(fastify, registry);
  fastify.get('/api/payments/:id', async (req, reply) => reply.code((req.params as { id: string }).id === 'gone' ? 404 : 200).send({}));
  await fastify.ready();
  return { registry, fastify };
}

const countOf = async (registry: Registry, labels: Record<string, string>) => {
  const metric = await registry.getSingleMetric(HTTP_DURATION_METRIC)?.get();
  const series = metric?.values.find(
    (v) =>
      (v as { metricName?: string }).metricName === `${HTTP_DURATION_METRIC}_count` &&
      Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  );
  return series?.value ?? 0;
};

describe('installHttpMetrics', () => {
  it('labels a request with its route pattern, never the raw URL with its ids', async () => {
    const { registry, fastify } = await served();
    await fastify.inject({ method: 'GET', url: '/api/payments/abc-123' });
    await fastify.inject({ method: 'GET', url: '/api/payments/def-456?x=1' });
    expect(await countOf(registry, { method: 'GET', route: '/api/payments/:id', status: '200' })).toBe(2);
    expect(await registry.metrics()).not.toContain('abc-123');
    await fastify.close();
  });

  it('counts errors by status and gathers unmatched URLs in one series', async () => {
    const { registry, fastify } = await served();
    await fastify.inject({ method: 'GET', url: '/api/payments/gone' });
    await fastify.inject({ method: 'POST', url: '/wp-admin/setup.php' });
    await fastify.inject({ method: 'GET', url: '/.env' });
    expect(await countOf(registry, { route: '/api/payments/:id', status: '404' })).toBe(1);
    expect(await countOf(registry, { method: 'POST', route: UNMATCHED_ROUTE, status: '404' })).toBe(1);
    expect(await countOf(registry, { method: 'GET', route: UNMATCHED_ROUTE, status: '404' })).toBe(1);
    const text = await registry.metrics();
    expect(text).not.toContain('wp-admin');
    expect(text).not.toContain('.env');
    await fastify.close();
  });
});
