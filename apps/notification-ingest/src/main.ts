import { createHttpApp, listen, runMain } from '@mm/platform';
import { AppModule } from './app.module';
import { loadIngestConfig } from './config';

runMain(async () => {
  const config = loadIngestConfig();
  const app = await createHttpApp(AppModule.register(config), {
    port: config.PORT,
    bodyLimit: config.INGEST_BODY_LIMIT_BYTES,
    openApi: { title: 'mm notification-ingest', description: 'BBOXX mobile-money payment notifications (signed HTTP POST), stored durably and published as PaymentReceived.' },
  });
  const url = await listen(app, { port: config.PORT, host: config.HOST });
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'notification-ingest', msg: `listening on ${url}` })}\n`);
});
