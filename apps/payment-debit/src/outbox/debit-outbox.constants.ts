/** PostgreSQL NOTIFY channel the relay listens on; every transaction that adds outbox rows notifies it. */
export const DEBIT_OUTBOX_CHANNEL = 'mm_debit_outbox';
