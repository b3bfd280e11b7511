/** PostgreSQL NOTIFY channel the relay listens on; ingest notifies it in the transaction that adds outbox rows. */
export const OUTBOX_CHANNEL = 'mm_ingest_outbox';
