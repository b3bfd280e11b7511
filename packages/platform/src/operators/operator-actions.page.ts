import type { Page } from '@mm/contracts';
import { z } from 'zod';
import { cursorCodec, pageFields, parseParams, toPage } from '../http-api/pages';
import { listOperatorActions, OperatorActionViewSchema, type OperatorActionView, type Queryable } from './operator-actions';

/** Lists newest first by (time, id): the cursor is the last row's pair; `id` checks the id half. */
export const timeIdCursor = (id: z.ZodType<string>) =>
  cursorCodec<{ at: string; id: string }>(
    z.tuple([z.iso.datetime(), id]).transform(([at, key]) => ({ at, id: key })),
    (key) => [key.at, key.id],
  );

const Name = z.string().regex(/^[A-Za-z0-9._@:-]{1,128}$/, 'must be an operator id or action name');

/** `GET /v1/operator-actions`' query: filters by operator, action and subject, and the page. */
export const OperatorActionsQuerySchema = z
  .object({ operator: Name.optional(), action: Name.optional(), subject: z.string().min(1).max(256).optional(), ...pageFields })
  .strict();
export const OperatorActionPageSchema = z.object({ items: z.array(OperatorActionViewSchema), nextCursor: z.string().nullable() });

const actionCursor = timeIdCursor(z.string().regex(/^[0-9]{1,19}$/));

/** One page of a service's audit trail for a raw query (400 on a bad parameter or cursor), newest first. */
export async function operatorActionsPage(db: Queryable, query: unknown): Promise<Page<OperatorActionView>> {
  const q = parseParams(OperatorActionsQuerySchema, query);
  const rows = await listOperatorActions(db, { ...q, before: actionCursor.decode(q.cursor) });
  return toPage(
    rows,
    q.limit,
    (a) => actionCursor.encode({ at: a.at, id: a.id }),
    (a) => a,
  );
}
