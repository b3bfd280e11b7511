import { enqueueOutbox } from '@mm/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { firstBreach, limitLockKeys, limitReason, type DebitLimits, type LimitScope, type Usage } from '../debits/debit-limits';
import type { ClaimResult, OutgoingEvent } from '../debits/debit.repository';
import { rowCount } from './debit-row';

/**
 * What a command counts against: the debits that were claimed for sending and did not end without money moving —
 * SUBMITTING (in flight), APPROVED (resolved-as-debited UNKNOWNs end APPROVED too), UNKNOWN, and RECEIVED ones given
 * back after a connection that never left (attempts > 0: they are retrying). A RECEIVED command never claimed has
 * not been checked yet and is checked, counting itself, when its turn comes.
 */
const COUNTED = `(state in ('SUBMITTING', 'APPROVED', 'UNKNOWN') or (state = 'RECEIVED' and attempts > 0))`;
const WINDOW = `created_at > now() - ($1 * interval '1 millisecond') and command_id <> $2`;

interface Claimable {
  account_number: string;
  requester: string | null;
  amount_minor: string;
  currency: string;
}

/**
 * RECEIVED → SUBMITTING for `owner` when the command fits its limits, or → DECLINED with `LIMIT_EXCEEDED: …` and its
 * result (`declined(reason)`) in the outbox, in one transaction. Transaction-scoped advisory locks on the command's
 * account and requester, taken in ascending key order, serialise the count-then-claim of every command sharing
 * either key, across instances and batches; the usage is read only once they are held (its own statement, so it
 * sees every claim committed before).
 */
export function claimWithinLimits(
  dataSource: DataSource,
  limits: DebitLimits,
  commandId: string,
  owner: string,
  declined: (reason: string) => OutgoingEvent,
): Promise<ClaimResult> {
  return dataSource.transaction(async (tx): Promise<ClaimResult> => {
    const [row]: Claimable[] = await tx.query(
      `select account_number, requester, amount_minor::text, currency from debit_commands where command_id = $1 and state = 'RECEIVED'`,
      [commandId],
    );
    if (!row) return false;
    const keys = limitLockKeys(limits, row.account_number, row.requester);
    await tx.query(`select pg_advisory_xact_lock(k) from unnest($1::bigint[]) as t(k)`, [keys.map(String)]);
    const breach = firstBreach(limits, await usageOf(tx, limits, commandId, row), {
      amountMinor: row.amount_minor,
      currency: row.currency as never,
    });
    if (breach) {
      const reason = limitReason(breach, limits.windowMs);
      const updated: unknown[] = await tx.query(
        `update debit_commands set state = 'DECLINED', reasons = $2, claimed_by = null, updated_at = now()
          where command_id = $1 and state = 'RECEIVED' returning command_id`,
        [commandId, JSON.stringify([reason])],
      );
      if (rowCount(updated) !== 1) return false;
      await enqueueOutbox(tx, declined(reason));
      return { limitExceeded: breach, reason };
    }
    const claimed: unknown[] = await tx.query(
      `update debit_commands set state = 'SUBMITTING', claimed_by = $2, submitted_at = now(), attempts = attempts + 1, updated_at = now()
        where command_id = $1 and state = 'RECEIVED' returning command_id`,
      [commandId, owner],
    );
    return rowCount(claimed) === 1;
  });
}

/** The other counted debits in the window, per configured scope: one statement, each part served by its (key, created_at) index. */
async function usageOf(
  tx: EntityManager,
  limits: DebitLimits,
  commandId: string,
  row: Claimable,
): Promise<Partial<Record<LimitScope, Usage>>> {
  const parts: string[] = [];
  const params: unknown[] = [limits.windowMs, commandId];
  if (limits.perAccount) {
    params.push(row.account_number);
    parts.push(`select 'perAccount' as scope, currency, amount_minor from debit_commands
                 where account_number = $${params.length} and ${WINDOW} and ${COUNTED}`);
  }
  if (limits.perRequester) {
    // The unnamed requester is the null one: `= null` would match nothing, so it has its own (constant) predicate.
    const requester = row.requester === null ? 'requester is null' : `requester = $${params.push(row.requester)}`;
    parts.push(`select 'perRequester' as scope, currency, amount_minor from debit_commands
                 where ${requester} and ${WINDOW} and ${COUNTED}`);
  }
  const rows: { scope: LimitScope; currency: string | null; n: number; total: string | null }[] = await tx.query(
    `select scope, currency, count(*)::int as n, sum(amount_minor)::text as total
       from (${parts.join(' union all ')}) counted group by scope, currency`,
    params,
  );
  const usage: Partial<Record<LimitScope, Usage>> = {};
  for (const r of rows) {
    const u = (usage[r.scope] ??= { count: 0, amounts: {} });
    u.count += r.n;
    if (r.currency !== null && r.total !== null) u.amounts[r.currency] = BigInt(r.total);
  }
  return usage;
}
