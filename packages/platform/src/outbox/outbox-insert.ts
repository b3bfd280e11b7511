/** One event to publish: the row a state change adds to the outbox in its own transaction. */
export interface OutboxMessage {
  event: { id: string };
  /** The logical topic (e.g. `Topics.DebitResult`); the relay publishes to this environment's name of it. */
  topic: string;
  key: string;
  /** The CloudEvent JSON, exactly as it will be published. */
  value: string;
  headers: Record<string, string>;
}

/**
 * The head of every outbox insert. Statements that add rows together with the state change they belong to (a CTE
 * such as `…, queued as (${OUTBOX_INSERT} select … from changed)`) use it, so the row and its cause commit together.
 */
export const OUTBOX_INSERT = 'insert into outbox (event_id, topic, message_key, payload, headers)';

/** Whatever runs queries in the caller's transaction: a TypeORM EntityManager or QueryRunner. */
export interface OutboxQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Adds one event inside the caller's transaction (`tx` is its EntityManager or QueryRunner, never the pool): the
 * event exists exactly when the transaction commits. Wake the relays with OutboxNotifier after the commit.
 */
export async function enqueueOutbox(tx: OutboxQueryable, m: OutboxMessage): Promise<void> {
  await tx.query(`${OUTBOX_INSERT} values ($1, $2, $3, $4, $5)`, [m.event.id, m.topic, m.key, m.value, m.headers]);
}
