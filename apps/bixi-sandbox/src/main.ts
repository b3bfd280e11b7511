import { createHttpApp, listen, runMain } from '@mm/platform';
import { AppModule } from './app.module';
import { loadSandboxConfig } from './config';

runMain(async () => {
  const config = loadSandboxConfig();
  const app = await createHttpApp(AppModule.register(config), {
    port: config.PORT,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    accessLog: { service: 'bixi-sandbox', level: config.LOG_LEVEL, enabled: config.HTTP_ACCESS_LOG },
    bodyLimit: 64 * 1024,
    openApi: { title: 'Bixi sandbox', description: 'Local simulator of Bixi POST /3.0/pay with magic account numbers for declines and faults.', security: ['bearer'] },
  });
  const url = await listen(app, { port: config.PORT, host: config.HOST });
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'bixi-sandbox', msg: `listening on ${url}` })}\n`);
});
