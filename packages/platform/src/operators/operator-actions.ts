import type { QueryRunner } from 'typeorm';
import type { RuntimeGrants } from '../database-migration';
import { z } from 'zod';
import type { Operator } from './operator-verifier';

/**
 * The audit trail of operators' actions, one append-only table per service that takes operator actions (SPEC §9):
 * who (`operator_sub` and the roles their token held), when, what (`action` on `subject`), why (`reason`) and the
 * action's own details. Written in the transaction of the change it records, so a change never lands without its
 * record. The runtime role gets select and insert only (`OPERATOR_ACTIONS_RUNTIME_GRANTS`): nothing rewrites history.
 */
export async function createOperatorActionsTable(q: QueryRunner): Promise<void> {
  await q.query(`
    create table operator_actions (
      id              bigserial primary key,
      operator_sub    text not null check (length(operator_sub) between 1 and 128),
      operator_roles  text[] not null,
      action          text not null check (length(action) between 1 and 64),
      subject         text not null check (length(subject) between 1 and 256),
      reason          text check (length(reason) <= 2048),
      details         jsonb not null default '{}',
      correlation_id  text,
      created_at      timestamptz not null default now()
    )`);
  await q.query(`create index operator_actions_time_idx on operator_actions (created_at desc, id desc)`);
  await q.query(`create index operator_actions_subject_idx on operator_actions (subject, created_at desc)`);
}

export async function dropOperatorActionsTable(q: QueryRunner): Promise<void> {
  await q.query(`drop table operator_actions`);
}

/** For a data source's runtime grants: the trail can be read and appended to, never changed. */
export const OPERATOR_ACTIONS_RUNTIME_GRANTS = { operator_actions: ['select', 'insert'] } as const satisfies RuntimeGrants;

export interface OperatorAction {
  operator: Operator;
  /** What was done, e.g. `resolution.propose`, `resolution.approve`, `statement.import`, `break.close`. */
  action: string;
  /** What it was done to, e.g. `debit:<commandId>`, `proposal:<id>`, `break:<id>`. */
  subject: string;
  reason?: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

/** Anything that runs a parameterised query: a QueryRunner, an EntityManager, a pg client inside a transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Appends one action, inside the caller's transaction (pass the transaction's query runner or manager). */
export async function recordOperatorAction(tx: Queryable, a: OperatorAction): Promise<void> {
  await tx.query(
    `insert into operator_actions (operator_sub, operator_roles, action, subject, reason, details, correlation_id)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [a.operator.sub, a.operator.roles, a.action, a.subject, a.reason ?? null, JSON.stringify(a.details ?? {}), a.correlationId ?? null],
  );
}

export const OperatorActionViewSchema = z.object({
  id: z.string(),
  operator: z.string(),
  roles: z.array(z.string()),
  action: z.string(),
  subject: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  correlationId: z.string().nullable(),
  at: z.string(),
});
export type OperatorActionView = z.infer<typeof OperatorActionViewSchema>;

export interface OperatorActionFilter {
  operator?: string;
  action?: string;
  subject?: string;
  /** Rows strictly older than this (time, id) key: the cursor of the previous page. */
  before?: { at: string; id: string };
  limit: number;
}

/** Newest first; one extra row is fetched so the caller can tell whether a next page exists (`toPage`). */
export async function listOperatorActions(db: Queryable, f: OperatorActionFilter): Promise<OperatorActionView[]> {
  const result = await db.query(
    `select id::text, operator_sub, operator_roles, action, subject, reason, details, correlation_id,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
       from operator_actions
      where ($1::text is null or operator_sub = $1) and ($2::text is null or action = $2) and ($3::text is null or subject = $3)
        and ($4::timestamptz is null or (created_at, id) < ($4::timestamptz, $5::bigint))
      order by created_at desc, id desc
      limit $6`,
    [f.operator ?? null, f.action ?? null, f.subject ?? null, f.before?.at ?? null, f.before?.id ?? null, f.limit + 1],
  );
  // TypeORM answers the rows, a pg client a result holding them.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
    operator_sub: string;
    operator_roles: string[];
    action: string;
    subject: string;
    reason: string | null;
    details: Record<string, unknown>;
    correlation_id: string | null;
    at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    operator: r.operator_sub,
    roles: r.operator_roles,
    action: r.action,
    subject: r.subject,
    reason: r.reason,
    details: r.details,
    correlationId: r.correlation_id,
    at: r.at,
  }));
}
