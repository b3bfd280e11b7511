import { defineService } from '@mm/platform';
import { AppModule } from './app.module';
import { loadLedgerConfig } from './config';
import { acceptStatementUploads } from './reconcile-provider-statement/http/statement-upload';

export const ledgerService = defineService({
  name: 'ledger',
  loadConfig: loadLedgerConfig,
  module: (config) => AppModule.register(config),
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  openApi: {
    title: 'mm ledger',
    description:
      "Read API of the double-entry ledger: payments, debits, accounts, events, reconciliation, open suspense; provider statements and their breaks; operators' corrections.",
    security: ['apiKey', 'bearer', 'operator'],
  },
  configure: (app) => acceptStatementUploads(app),
});
