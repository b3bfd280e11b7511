import { openItemsGaugesProvider } from '@mm/platform';

/** UNKNOWN commands nobody has settled yet (by a late answer, a statement or an operator); read by debit_commands_state_idx. */
export const OPEN_UNKNOWN_SQL = `select count(*) as count, extract(epoch from now() - min(updated_at)) as age
  from debit_commands where state = 'UNKNOWN' and resolved_at is null`;

/**
 * `debit_unknown_open` and `debit_unknown_oldest_age_seconds`: each open UNKNOWN may have taken a customer's money,
 * so a human must settle it; the age says how long one has waited. Measured at scrape time, never per request.
 */
export const openUnknownMetrics = openItemsGaugesProvider(
  {
    count: { name: 'debit_unknown_open', help: 'Debits in UNKNOWN not yet resolved' },
    age: { name: 'debit_unknown_oldest_age_seconds', help: 'Time since the oldest unresolved debit became UNKNOWN' },
  },
  OPEN_UNKNOWN_SQL,
);
