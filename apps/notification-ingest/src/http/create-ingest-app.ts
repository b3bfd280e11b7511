import { createHttpApp } from '@mm/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import type { IngestConfig } from '../config';
import { IngestMetrics } from '../ingest.metrics';
import { installClientErrorHandler } from './client-error.handler';

const NOTIFICATION_PATH = /^\/mm\/1\.0\/payments\/payment\//;

/**
 * The ingest application, not yet listening (main.ts and the integration tests share it). JSON bodies are kept
 * as raw bytes and parsed only after the signature is verified. Errors raised by Fastify itself (413, 415) reach
 * the RejectionFilter through Nest's Fastify error handler; requests Node cannot parse, the client-error handler.
 * `openApi: false` leaves out /docs (its static assets load through ESM, which jest's CommonJS runtime cannot).
 */
export async function createIngestApp(config: IngestConfig, options: { openApi?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await createHttpApp(AppModule.register(config), {
    port: config.PORT,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    bodyLimit: config.INGEST_BODY_LIMIT_BYTES,
    accessLog: { service: 'notification-ingest', level: config.LOG_LEVEL, enabled: config.HTTP_ACCESS_LOG },
    ...(options.openApi === false
      ? {}
      : {
          openApi: {
            title: 'mm notification-ingest',
            description: 'BBOXX mobile-money payment notifications (signed HTTP POST), stored durably and published as PaymentReceived.',
            security: ['bboxxSignature'],
          },
        }),
  });
  app.useBodyParser('application/json', { bodyLimit: config.INGEST_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(IngestMetrics);
  fastify.addHook('onResponse', (req, reply, done) => {
    if (NOTIFICATION_PATH.test(req.url)) {
      metrics.requests.inc({ status: String(reply.statusCode) });
      metrics.latency.observe(reply.elapsedTime / 1000);
    }
    done();
  });
  installClientErrorHandler(app.getHttpServer());
  return app;
}
