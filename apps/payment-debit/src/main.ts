import { createHttpApp, listen, runMain } from '@mm/platform';
import { AppModule } from './app.module';
import { loadDebitConfig } from './config';

runMain(async () => {
  const config = loadDebitConfig();
  const app = await createHttpApp(AppModule.register(config), {
    port: config.PORT,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    accessLog: { service: 'payment-debit', level: config.LOG_LEVEL, enabled: config.HTTP_ACCESS_LOG },
    bodyLimit: 16 * 1024,
    openApi: { title: 'mm payment-debit', description: 'Debit commands through Bixi, at most one Bixi call per commandId; reconciliation queue of UNKNOWN outcomes.', security: ['apiKey'] },
  });
  const url = await listen(app, { port: config.PORT, host: config.HOST });
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'payment-debit', msg: `listening on ${url}` })}\n`);
});
