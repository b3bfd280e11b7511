import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

export const HTTP_DURATION_METRIC = 'http_server_request_duration_seconds';
/** The route label of a request no route matched (404s, scanners): one series, never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Every answered request by method, route pattern (`/api/payments/:id`, never the URL with its ids, so the number of
 * series stays bounded) and status. Recorded in Fastify's onResponse hook, so errors and 404s count too.
 */
export function installHttpMetrics(fastify: FastifyInstance, registry: Registry): Histogram<'method' | 'route' | 'status'> {
  const histogram = new Histogram({
    name: HTTP_DURATION_METRIC,
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    histogram.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  return histogram;
}
