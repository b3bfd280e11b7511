import {
  ApiZodQuery,
  ApiZodResponse,
  cursorCodec,
  listOperatorActions,
  OperatorActionViewSchema,
  Operators,
  pageFields,
  parseParams,
  toPage,
} from '@mm/platform';
import { pageSchema } from '@mm/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { OperatorApiDocs } from './corrections.docs';

const ListQuery = z
  .object({
    operator: z.string().min(1).max(128).optional(),
    action: z.string().min(1).max(64).optional(),
    subject: z.string().min(1).max(256).optional(),
    ...pageFields,
  })
  .strict();
const cursor = cursorCodec<{ at: string; id: string }>(
  z.tuple([z.iso.datetime(), z.string().regex(/^[1-9][0-9]{0,18}$/)]).transform(([at, id]) => ({ at, id })),
  (key) => [key.at, key.id],
);

/** The ledger's operator audit trail (who did what, when, why), newest first. */
@Controller('v1/operator-actions')
@OperatorApiDocs('operator-actions')
export class OperatorActionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of operator actions, newest first', pageSchema(OperatorActionViewSchema))
  async list(@Query() query: unknown) {
    const { limit, cursor: raw, ...filter } = parseParams(ListQuery, query);
    const rows = await listOperatorActions(this.dataSource, { ...filter, limit, before: cursor.decode(raw) });
    return toPage(
      rows,
      limit,
      (r) => cursor.encode({ at: r.at, id: r.id }),
      (r) => r,
    );
  }
}
