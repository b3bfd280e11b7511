import { defineService } from '@mm/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { loadIngestConfig, type IngestConfig } from './config';
import { installClientErrorHandler } from './http/client-error.handler';
import { IngestMetrics } from './ingest.metrics';

const NOTIFICATION_PATH = /^\/mm\/1\.0\/payments\/payment\//;

/**
 * JSON bodies are kept as raw bytes and parsed only after the signature is verified. Errors raised by Fastify itself
 * (413, 415) reach the RejectionFilter through Nest's Fastify error handler; requests Node cannot parse, the
 * client-error handler.
 */
function configure(app: NestFastifyApplication, config: IngestConfig): void {
  app.useBodyParser('application/json', { bodyLimit: config.INGEST_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  const metrics = app.get(IngestMetrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (req, reply, done) => {
      if (NOTIFICATION_PATH.test(req.url)) {
        metrics.requests.inc({ status: String(reply.statusCode) });
        metrics.latency.observe(reply.elapsedTime / 1000);
      }
      done();
    });
  installClientErrorHandler(app.getHttpServer());
}

export const ingestService = defineService({
  name: 'notification-ingest',
  loadConfig: loadIngestConfig,
  module: (config) => AppModule.register(config),
  bodyLimit: (config) => config.INGEST_BODY_LIMIT_BYTES,
  openApi: {
    title: 'mm notification-ingest',
    description: 'BBOXX mobile-money payment notifications (signed HTTP POST), stored durably and published as PaymentReceived.',
    security: ['bboxxSignature'],
  },
  configure,
});
