import { defineService } from '@mm/platform';
import { AppModule } from './app.module';
import { loadConsoleConfig } from './config';
import { acceptStatementBodies } from './reconcile/http/statement-body';
import { servePage } from './static-page';

export const consoleService = defineService({
  name: 'console',
  loadConfig: loadConsoleConfig,
  module: (config) => AppModule.register(config),
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  openApi: {
    title: 'mm console',
    description: "The operators' console API (backend-for-frontend): session cookie, CSRF header on writes.",
  },
  configure: (app) => {
    servePage(app);
    acceptStatementBodies(app);
  },
});
