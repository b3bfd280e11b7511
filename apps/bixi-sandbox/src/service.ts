import { defineService } from '@mm/platform';
import { AppModule } from './app.module';
import { loadSandboxConfig } from './config';

export const sandboxService = defineService({
  name: 'bixi-sandbox',
  loadConfig: loadSandboxConfig,
  module: (config) => AppModule.register(config),
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  openApi: {
    title: 'Bixi sandbox',
    description: 'Local simulator of Bixi POST /3.0/pay with magic account numbers for declines and faults.',
    security: ['bearer'],
  },
});
