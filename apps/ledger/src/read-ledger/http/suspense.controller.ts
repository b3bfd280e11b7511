import { OpenSuspenseSchema } from '@mm/contracts';
import { ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { bucketView, SuspenseRead, totalsOf } from '../suspense.read';
import { ApiKeyGuard } from './api-key.guard';
import { decodeCursor, pageFields, parseParams, toPage } from './query-params';
import { ReadApiDocs } from './read-api.docs';

const ListQuery = z.object(pageFields).strict();

/** Open suspense: the UNKNOWN debits not yet resolved, each with its age, and what they add up to. */
@Controller('v1/suspense')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('suspense')
export class SuspenseController {
  constructor(private readonly suspense: SuspenseRead) {}

  @Get()
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'open UNKNOWN debits, oldest first, with totals per currency and per currency and age', OpenSuspenseSchema)
  async list(@Query() query: unknown) {
    const q = parseParams(ListQuery, query);
    const asOf = new Date();
    const [rows, buckets] = await Promise.all([this.suspense.list(asOf, q.limit, decodeCursor(q.cursor)), this.suspense.byAge(asOf)]);
    const page = toPage(
      rows,
      q.limit,
      (r) => ({ time: r.time_key, id: r.event_id }),
      (r) => ({
        commandId: r.command_id,
        account: r.account,
        accountType: r.account_type,
        amount: { amountMinor: r.amount_minor, currency: r.currency },
        since: r.since.toISOString(),
        ageSeconds: Number(r.age_seconds),
        age: r.age,
      }),
    );
    return { asOf: asOf.toISOString(), ...page, totals: totalsOf(buckets), byAge: buckets.map(bucketView) };
  }
}
