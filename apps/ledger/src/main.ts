import { createHttpApp, listen, runMain } from '@mm/platform';
import { AppModule } from './app.module';
import { loadLedgerConfig } from './config';

runMain(async () => {
  const config = loadLedgerConfig();
  const app = await createHttpApp(AppModule.register(config), {
    port: config.PORT,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    accessLog: { service: 'ledger', level: config.LOG_LEVEL, enabled: config.HTTP_ACCESS_LOG },
    openApi: { title: 'mm ledger', description: 'Read API of the double-entry ledger: payments, debits, accounts, events, reconciliation.', security: ['apiKey', 'bearer'] },
  });
  const url = await listen(app, { port: config.PORT, host: config.HOST });
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'ledger', msg: `listening on ${url}` })}\n`);
});
