import { defineService } from '@mm/platform';
import { AppModule } from './app.module';
import { loadDebitConfig } from './config';

export const debitService = defineService({
  name: 'payment-debit',
  loadConfig: loadDebitConfig,
  module: (config) => AppModule.register(config),
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  openApi: {
    title: 'mm payment-debit',
    description:
      'Debit commands through Bixi, at most one Bixi call per commandId; reconciliation queue of UNKNOWN outcomes and their maker-checker resolution.',
    security: ['apiKey', 'operator'],
  },
});
