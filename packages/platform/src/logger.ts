import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestMethod } from '@nestjs/common';
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
  httpAccessLog: boolean;
  /**
   * Hot routes that skip the per-request logger (a pino child, an async context and response listeners for every
   * request). Code on them logs the correlationId itself (Fastify's `request.id` carries it).
   */
  exclude?: { path: string; method: RequestMethod }[];
  /**
   * false: no per-request logger on any route. Its async context (AsyncLocalStorage) turns on Node's promise hooks
   * for the whole process once any request has used it, a cost every promise then pays. The service writes its
   * own access lines with the correlationId instead.
   */
  perRequest?: boolean;
}

/** The request's correlation id: a well-formed `X-Correlation-Id` from the caller, else a new UUID. */
export const correlationIdOf = (req: IncomingMessage): string => {
  const header = req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
};

/** JSON logs (pino) with the service name and a correlationId on every HTTP log line. */
export function loggerModule(options: LoggingOptions) {
  return LoggerModule.forRoot({
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.perRequest === false ? { forRoutes: [] } : {}),
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req) => correlationIdOf(req),
      customProps: (req) => ({ correlationId: (req as IncomingMessage & { id?: string }).id }),
      autoLogging: options.httpAccessLog
        ? { ignore: (req) => /^\/(health|metrics)/.test((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '') }
        : false,
      quietReqLogger: true,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url, id: req.id }),
      },
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
