import { enqueueOutbox } from '@mm/platform';
import type { EntityManager } from 'typeorm';
import type { DebitCommand, DebitState } from '../debits/debit-command';
import type { ExpireResult, OutgoingEvent } from '../debits/debit.repository';
import { rowCount } from './debit-row';

/**
 * Stores a command past its deadline as EXPIRED with its result — new, or still RECEIVED with the same request —
 * or reports the stored one untouched, so a redelivery publishes nothing. Runs inside the caller's transaction.
 */
export async function expireCommand(
  tx: EntityManager,
  c: DebitCommand,
  fingerprint: Buffer,
  deadline: Date,
  reason: string,
  result: OutgoingEvent,
): Promise<ExpireResult> {
  const reasons = JSON.stringify([reason]);

  const inserted: unknown[] = await tx.query(
    `insert into debit_commands (command_id, request_sha256, correlation_id, causation_id, account_number, account_type,
       amount_minor, currency, receipt_id, description, state, deadline, reasons, requester)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'EXPIRED', $11, $12, $13)
     on conflict (command_id) do nothing returning command_id`,
    [
      c.commandId,
      fingerprint,
      c.correlationId,
      c.causationId ?? null,
      c.accountNumber,
      c.accountType,
      c.amount.amountMinor,
      c.amount.currency,
      c.receiptId,
      c.description,
      deadline,
      reasons,
      c.requestedBy ?? null,
    ],
  );
  // A RECEIVED row (HTTP-submitted, or given back after a refused connection) is not in anyone's hands yet.
  const updated: unknown[] =
    inserted.length === 1
      ? []
      : await tx.query(
          `update debit_commands set state = 'EXPIRED', deadline = $2, reasons = $3, claimed_by = null, updated_at = now()
      where command_id = $1 and state = 'RECEIVED' and request_sha256 = $4 returning command_id`,
          [c.commandId, deadline, reasons, fingerprint],
        );
  if (inserted.length === 1 || rowCount(updated) === 1) {
    await enqueueOutbox(tx, result);
    return { kind: 'expired' };
  }
  const [row]: { state: DebitState; request_sha256: Buffer }[] = await tx.query(
    `select state, request_sha256 from debit_commands where command_id = $1`,
    [c.commandId],
  );
  if (!row) throw new Error('command conflicted on insert but is not stored');
  return { kind: 'existing', state: row.state, sameRequest: row.request_sha256.equals(fingerprint) };
}
