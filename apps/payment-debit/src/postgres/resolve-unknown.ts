import { OUTBOX_INSERT } from '@mm/platform';
import type { EntityManager } from 'typeorm';
import type { SettledOutcome } from '../debits/bixi-outcome';
import type { OutgoingEvent } from '../debits/debit.repository';
import { rowCount } from './debit-row';
import { outcomeColumns } from './finish-batch';

/** Who settled an UNKNOWN command (SPEC §9); stored in `resolution_source`. */
export type ResolutionKind = 'late-answer' | 'statement' | 'operator';

/**
 * The one way an UNKNOWN command gets its real outcome: the state change and its `mm.debit.outcome-resolved.v1`
 * outbox row in one statement, inside the caller's transaction (so a statement match or an approval is stored with
 * it). `owner`, when given, also requires the row to be claimed by that instance (a late answer of its own call).
 * False when the command is not, or no longer, an unresolved UNKNOWN: resolving twice books once.
 */
export async function resolveUnknown(
  tx: Pick<EntityManager, 'query'>,
  commandId: string,
  kind: ResolutionKind,
  o: SettledOutcome,
  resolution: OutgoingEvent,
  owner?: string,
): Promise<boolean> {
  const c = outcomeColumns(o);
  // The UNKNOWN reason stays first in `reasons`: the trail shows both what was reported and what settled it.
  const rows: unknown[] = await tx.query(
    `with changed as (
       update debit_commands
          set state = $3, bixi_transaction_id = $4, bixi_reference_id = $5, bixi_issuer = $6, issuer_transaction_id = $7,
              bixi_status = $8, charges_minor = $9, total_minor = $10,
              reasons = coalesce(reasons, '[]'::jsonb) || coalesce($11::jsonb, '[]'::jsonb),
              resolution_source = $17, resolved_at = now(), updated_at = now()
        where command_id = $1 and state = 'UNKNOWN' and ($2::uuid is null or claimed_by = $2::uuid) and resolved_at is null
       returning command_id)
     ${OUTBOX_INSERT}
     select $12, $13, $14, $15, $16 from changed
     returning event_id`,
    [
      commandId,
      owner ?? null,
      c.state,
      c.bixiTransactionId,
      c.referenceId,
      c.issuer,
      c.issuerTransactionId,
      c.bixiStatus,
      c.chargesMinor,
      c.totalMinor,
      c.reasons,
      resolution.event.id,
      resolution.topic,
      resolution.key,
      resolution.value,
      resolution.headers,
      kind,
    ],
  );
  return rowCount(rows) === 1;
}
