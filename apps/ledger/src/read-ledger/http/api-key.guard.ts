import { apiKeyGuard } from '@mm/platform';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';

/** The read API: `X-API-Key` (or `Authorization: Bearer …`) against `LEDGER_API_KEY`. */
export const ApiKeyGuard = apiKeyGuard(LEDGER_CONFIG, (c: LedgerConfig) => c.LEDGER_API_KEY, {
  bearer: true,
  message: 'a valid API key is required',
});
