import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, listen, runMain } from './bootstrap';
import type { HttpEnv } from './config';
import type { SecuritySchemeName } from './openapi';

/**
 * What makes one service: its validated config, its root module and its HTTP surface. `main.ts` runs it
 * (`runService`) and the in-process test harnesses build it (`createServiceApp`) through the same path, so a
 * test exercises the application as deployed; what a test needs changed is a config value.
 */
export interface ServiceDefinition<C extends HttpEnv> {
  /** The `service` field of the access log and of the "listening on" line. */
  name: string;
  /** Validates the environment (process.env when not given); throws a ConfigError naming each bad variable. */
  loadConfig: (source?: NodeJS.ProcessEnv) => C;
  module: (config: C) => DynamicModule;
  /** Largest request body accepted, in bytes (a config value). */
  bodyLimit: (config: C) => number;
  /** The OpenAPI document served at /docs when `HTTP_OPENAPI_DOCS` is on. */
  openApi: { title: string; description: string; security?: SecuritySchemeName[] };
  /** Service-specific Fastify wiring (body parsers, hooks), applied before the application initialises. */
  configure?: (app: NestFastifyApplication, config: C) => void;
}

export const defineService = <C extends HttpEnv>(service: ServiceDefinition<C>): ServiceDefinition<C> => service;

/** The service's application, built as `main.ts` builds it, not yet listening. */
export function createServiceApp<C extends HttpEnv>(service: ServiceDefinition<C>, config: C): Promise<NestFastifyApplication> {
  return createHttpApp(service.module(config), {
    port: config.PORT,
    host: config.HOST,
    bodyLimit: service.bodyLimit(config),
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    accessLog: { service: service.name, level: config.LOG_LEVEL, enabled: config.HTTP_ACCESS_LOG },
    ...(config.HTTP_OPENAPI_DOCS ? { openApi: service.openApi } : {}),
    ...(service.configure ? { configure: (app: NestFastifyApplication) => service.configure?.(app, config) } : {}),
  });
}

/** `main.ts`: load the config, build the application, listen, close gracefully on SIGTERM/SIGINT; exit 1 on a start-up failure. */
export function runService<C extends HttpEnv>(service: ServiceDefinition<C>): void {
  runMain(async () => {
    const config = service.loadConfig();
    const app = await createServiceApp(service, config);
    const url = await listen(app, { port: config.PORT, host: config.HOST });
    process.stdout.write(`${JSON.stringify({ level: 'info', service: service.name, msg: `listening on ${url}` })}\n`);
  });
}
