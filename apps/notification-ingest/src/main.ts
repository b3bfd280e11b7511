import { listen, runMain } from '@mm/platform';
import { loadIngestConfig } from './config';
import { createIngestApp } from './http/create-ingest-app';

runMain(async () => {
  const config = loadIngestConfig();
  const app = await createIngestApp(config);
  const url = await listen(app, { port: config.PORT, host: config.HOST });
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'notification-ingest', msg: `listening on ${url}` })}\n`);
});
