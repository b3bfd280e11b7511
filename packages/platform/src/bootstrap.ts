import { createServer, type RequestListener, type Server } from 'node:http';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { Registry } from 'prom-client';
import { CONSUMER_TRANSPORT } from './kafka-transport/consumer-transport.token';
import { correlationIdOf, createLogger, type LoggingOptions } from './logger';
import { MetricsModule } from './metrics';
import { installHttpMetrics } from './observability/http-metrics';
import { SecuritySchemes, withSharedSchemas, type SecuritySchemeName } from './openapi';

export interface HttpBootstrapOptions {
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes; larger bodies get 413. */
  bodyLimit: number;
  /** Time a client has to send its whole request (`HTTP_REQUEST_TIMEOUT_MS`, default 30 s); then it is cut off (408). */
  requestTimeoutMs?: number;
  /** Serves the OpenAPI document at /docs (UI) and /docs-json when given, with the security schemes its routes use. */
  openApi?: { title: string; description: string; security?: SecuritySchemeName[] };
  /** One JSON line per request (not /health or /metrics) with its correlationId, status and time; never headers. */
  accessLog?: LoggingOptions & { enabled: boolean };
  /** Service-specific wiring (body parsers, hooks), run before the application initialises. */
  configure?: (app: NestFastifyApplication) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds a Nest application on Fastify (about 3x Express's throughput here) with the raw body kept for signatures.
 * Services build theirs through `createServiceApp` (service.ts), which fills these options from the validated config.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpBootstrapOptions): Promise<NestFastifyApplication> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    trustProxy: false,
    genReqId: correlationIdOf,
    requestTimeout,
    // Node checks for expired requests every connectionsCheckingInterval (30 s by default): check often enough that a
    // stalled client is cut off close to the timeout. No idle-socket timeout: a long answer (the sandbox's held
    // requests) is not the client's fault; only receiving the request is bounded.
    serverFactory: (handler: RequestListener) =>
      createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(requestTimeout, 60_000),
          connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeout / 4))),
        },
        handler,
      ),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { rawBody: true, bufferLogs: true });
  app.useLogger(app.get(Logger));
  answerOversizedBodies(app);
  if (servesMetrics(module)) installHttpMetrics(app.getHttpAdapter().getInstance(), app.get(Registry));
  if (options.accessLog?.enabled) installAccessLog(app, options.accessLog);
  if (options.openApi) {
    const builder = new DocumentBuilder().setTitle(options.openApi.title).setDescription(options.openApi.description).setVersion('1');
    for (const name of options.openApi.security ?? []) builder.addSecurity(SecuritySchemes[name].name, SecuritySchemes[name].scheme);
    const config = builder.build();
    SwaggerModule.setup('docs', app, () => withSharedSchemas(SwaggerModule.createDocument(app, config)), { jsonDocumentUrl: 'docs-json' });
  }
  options.configure?.(app);
  await startConsumerTransport(app, module);
  return app;
}

/**
 * Fastify answers a body over the limit with 413 and `Connection: close` while the client is still sending it; the
 * socket then closes with unread bytes, the kernel resets it, and the client sees ECONNRESET/EPIPE instead of the 413.
 * Keeping the connection lets Node discard the rest of the body (HTTP framing intact) so the client reads the answer;
 * the request timeout still bounds how long a client may keep sending.
 */
function answerOversizedBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_req, reply, payload, done) => {
      if (reply.statusCode === 413) reply.removeHeader('connection');
      done(null, payload);
    });
}

/**
 * Serves the module's Kafka handlers when it provides `CONSUMER_TRANSPORT` (checked on the module's definition: asking
 * the application for a missing provider would abort the process). The application is initialised first, so the
 * consumer starts after every provider's bootstrap hook (migrations, outbox relay), as the hand-written consumers did.
 */
async function startConsumerTransport(app: NestFastifyApplication, module: Type<unknown> | DynamicModule): Promise<void> {
  const provided =
    'module' in module && (module.providers ?? []).some((p) => typeof p === 'object' && 'provide' in p && p.provide === CONSUMER_TRANSPORT);
  if (!provided) return;
  app.connectMicroservice({ strategy: app.get<CustomTransportStrategy>(CONSUMER_TRANSPORT) });
  await app.init();
  await app.startAllMicroservices();
}

/**
 * Whether the root module imports MetricsModule (every service does), checked on its definition like the consumer
 * transport above: asking the application for a missing Registry would abort the process.
 */
function servesMetrics(module: Type<unknown> | DynamicModule): boolean {
  return 'module' in module && (module.imports ?? []).includes(MetricsModule);
}

const NOT_LOGGED = /^\/(health|metrics)(\/|\?|$)/;

function installAccessLog(app: NestFastifyApplication, options: LoggingOptions): void {
  const log = createLogger(options.service, options.level);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (req, reply, done) => {
      if (!NOT_LOGGED.test(req.url)) {
        log.info(
          {
            correlationId: req.id,
            req: { method: req.method, url: req.url },
            res: { statusCode: reply.statusCode },
            responseTime: Math.round(reply.elapsedTime),
          },
          'request completed',
        );
      }
      done();
    });
}

export async function listen(app: INestApplication, options: { port: number; host?: string }): Promise<string> {
  await app.listen(options.port, options.host ?? '0.0.0.0');
  closeOnSignal(app);
  return app.getUrl();
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting, let in-flight requests and batches finish (each service's
 * shutdown hooks commit and disconnect), then exit 0; exit 1 if that takes longer than `timeoutMs`.
 */
export function closeOnSignal(app: INestApplication, timeoutMs = 25_000): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => {
      process.stderr.write(
        `${JSON.stringify({ level: 'error', msg: `shutdown after ${signal} took longer than ${timeoutMs} ms; exiting` })}\n`,
      );
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    // server.close() closes the connections idle at that moment; keep-alive connections whose last request
    // finishes later would otherwise stay open until their keep-alive timeout and hold the shutdown.
    const server = app.getHttpServer() as Server;
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    sweeper.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'shutdown failed', error: (error as Error).message })}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

/** Exit non-zero with one clear line when start-up fails (bad config, unreachable dependency). */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', error: (error as Error).message })}\n`);
    process.exit(1);
  });
}
