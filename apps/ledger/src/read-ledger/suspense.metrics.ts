import { openItemsGaugesProvider } from '@mm/platform';
import { OPEN_SUSPENSE } from './suspense.read';

/** The open suspense of `/v1/suspense` counted, with the age of its oldest UNKNOWN outcome. */
export const OPEN_SUSPENSE_SQL = `select count(*) as count, extract(epoch from now() - min(o.time)) as age from ${OPEN_SUSPENSE}`;

/**
 * `ledger_suspense_open` and `ledger_suspense_oldest_age_seconds`: UNKNOWN debits booked into bixi-suspense and not
 * yet resolved, as the ledger sees them. Measured at scrape time (bounded by a short timeout), never per request.
 */
export const suspenseMetrics = openItemsGaugesProvider(
  {
    count: { name: 'ledger_suspense_open', help: 'UNKNOWN debits in bixi-suspense with no resolution yet' },
    age: { name: 'ledger_suspense_oldest_age_seconds', help: 'Age of the oldest open UNKNOWN debit in suspense' },
  },
  OPEN_SUSPENSE_SQL,
);
