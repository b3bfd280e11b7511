import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CORRELATION_ID_HEADER, correlationIdFrom } from '@mm/contracts';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger } from 'pino';

/** Paths never written to a log line: credentials in headers and anything named like a secret. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.secret',
  '*.secrets',
  '*.password',
  '*.token',
  '*.apiKey',
];

export interface LoggingOptions {
  service: string;
  level: string;
}

/** The request's correlation id (Fastify's request id): a well-formed `X-Correlation-Id` from the caller, else a new UUID. */
export const correlationIdOf = (req: IncomingMessage): string => correlationIdFrom(req.headers[CORRELATION_ID_HEADER], randomUUID);

/**
 * JSON logs (pino) behind Nest's logger, with the service name. No per-request child logger: its async context
 * (AsyncLocalStorage) turns on Node's promise hooks for the whole process as soon as one request has used it, and
 * every promise then pays for them (about a tenth of ingest's CPU at 1,000 requests/s). Lines written while serving
 * a request carry the correlationId (Fastify's `request.id`) themselves; the access log is a Fastify hook
 * (`createHttpApp`'s `accessLog`).
 */
export function loggerModule(options: LoggingOptions) {
  return LoggerModule.forRoot({
    forRoutes: [],
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
  });
}

/** A plain pino logger for code outside the HTTP request scope (Kafka consumers, relays, scripts). */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
