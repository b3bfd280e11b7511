import { type Page } from '@mm/contracts';
import {
  ApiErrorResponse,
  ApiZodQuery,
  ApiZodResponse,
  listOperatorActions,
  OperatorActionViewSchema,
  Operators,
  pageFields,
  parseParams,
  toPage,
  type OperatorActionView,
} from '@mm/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { OperatorApiDocs, timeIdCursor } from '../../resolve-unknown/http/operator-api';

const Name = z.string().regex(/^[A-Za-z0-9._@:-]{1,128}$/, 'must be an operator id or action name');
const ListQuerySchema = z
  .object({ operator: Name.optional(), action: Name.optional(), subject: z.string().min(1).max(256).optional(), ...pageFields })
  .strict();
const cursor = timeIdCursor(z.string().regex(/^[0-9]{1,19}$/));

/** The operators' audit trail of this service (who, when, what, why), read by any operator. */
@Controller('v1/operator-actions')
@OperatorApiDocs('operator-actions')
export class OperatorActionsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ListQuerySchema)
  @ApiZodResponse(
    200,
    'a page of operator actions, newest first',
    z.object({ items: z.array(OperatorActionViewSchema), nextCursor: z.string().nullable() }),
  )
  @ApiErrorResponse(400, 'a parameter is invalid (each one named in `details`), or the cursor is not one this list handed out')
  async list(@Query() query: unknown): Promise<Page<OperatorActionView>> {
    const q = parseParams(ListQuerySchema, query);
    const rows = await listOperatorActions(this.dataSource, { ...q, before: cursor.decode(q.cursor) });
    return toPage(
      rows,
      q.limit,
      (a) => cursor.encode({ at: a.at, id: a.id }),
      (a) => a,
    );
  }
}
