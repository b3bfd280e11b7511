import { Body, Controller, Module, Post, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { z } from 'zod';
import { env, httpEnv, loadConfig } from './config';
import { loggerModule } from './logger';
import { createServiceApp, defineService } from './service';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({})
class EchoModule {
  static register(config: EchoConfig): DynamicModule {
    return { module: EchoModule, imports: [loggerModule({ service: 'echo', level: config.LOG_LEVEL })], controllers: [EchoController] };
  }
}

const EchoConfigSchema = z.object({ ...httpEnv({ port: 3999, accessLog: false }), HTTP_BODY_LIMIT_BYTES: env.bodyLimitBytes(64 * 1024) });
type EchoConfig = z.infer<typeof EchoConfigSchema>;

const configured: Array<{ app: NestFastifyApplication; config: EchoConfig }> = [];
const echoService = defineService({
  name: 'echo',
  loadConfig: (source) => loadConfig(EchoConfigSchema, source),
  module: (config) => EchoModule.register(config),
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  openApi: { title: 'echo', description: 'test service' },
  configure: (app, config) => configured.push({ app, config }),
});

describe('createServiceApp', () => {
  let app: NestFastifyApplication;
  const config = echoService.loadConfig({ LOG_LEVEL: 'silent', HTTP_BODY_LIMIT_BYTES: '1024', HTTP_OPENAPI_DOCS: 'false' });

  beforeAll(async () => {
    app = await createServiceApp(echoService, config);
    await app.init();
  });
  afterAll(() => app.close());

  it('gives the service its configure hook once, with its config', () => {
    expect(configured).toEqual([{ app, config }]);
  });

  it('accepts bodies up to the configured limit and answers larger ones with 413', async () => {
    const post = (text: string) =>
      app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text }) });
    expect((await post('x'.repeat(900))).statusCode).toBe(201);
    expect((await post('x'.repeat(2000))).statusCode).toBe(413);
  });

  it('leaves out /docs when HTTP_OPENAPI_DOCS is false', async () => {
    expect((await app.inject({ method: 'GET', url: '/docs-json' })).statusCode).toBe(404);
  });

  it('defaults every HTTP tunable', () => {
    expect(echoService.loadConfig({})).toMatchObject({
      PORT: 3999,
      HOST: '0.0.0.0',
      HTTP_ACCESS_LOG: false,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_OPENAPI_DOCS: true,
      HTTP_BODY_LIMIT_BYTES: 65_536,
    });
  });
});
