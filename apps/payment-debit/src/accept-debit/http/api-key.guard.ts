import { apiKeyGuard } from '@mm/platform';
import { DEBIT_CONFIG, type DebitConfig } from '../../config';

/** The debit API moves money: every call needs `X-API-Key` matching `DEBIT_API_KEY`. */
export const DebitApiKeyGuard = apiKeyGuard(DEBIT_CONFIG, (c: DebitConfig) => c.DEBIT_API_KEY, {
  message: 'X-API-Key is missing or wrong',
});
