import { LEDGER_CORRECTION_APPROVED, parseEvent, type MmEvent } from '@mm/contracts';
import type { EntityManager } from 'typeorm';

type Tx = Pick<EntityManager, 'query'>;

/**
 * The transaction-scoped advisory lock of one original event: proposals, approvals and the booking of corrections of
 * the same original take it, so the amount left to reverse is read and used by one of them at a time.
 */
export async function lockOriginal(tx: Tx, originalEventId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('mm.ledger.correction:' || $1, 0))`, [originalEventId]);
}

/** An event as the ledger stored it, parsed again; undefined when the ledger has no such event. */
export async function readStoredEvent(tx: Tx, eventId: string): Promise<{ event: MmEvent } | { unparsable: string } | undefined> {
  const rows: { envelope: string }[] = await tx.query(`select envelope::text as envelope from events where id = $1`, [eventId]);
  if (!rows[0]) return undefined;
  const parsed = parseEvent(rows[0].envelope);
  return parsed.ok ? { event: parsed.event } : { unparsable: parsed.reason };
}

/** Minor units of `originalEventId` already reversed by the corrections booked in the ledger. */
export async function bookedCorrectionsTotal(tx: Tx, originalEventId: string): Promise<bigint> {
  const rows: { total: string }[] = await tx.query(
    `select coalesce(sum((envelope->'data'->'amount'->>'amountMinor')::numeric), 0)::text as total
       from events where type = $1 and envelope->'data'->>'originalEventId' = $2`,
    [LEDGER_CORRECTION_APPROVED, originalEventId],
  );
  return BigInt(rows[0]?.total ?? '0');
}
