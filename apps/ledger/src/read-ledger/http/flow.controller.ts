import { FlowReportSchema } from '@mm/contracts';
import { ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { FlowRead } from '../flow.read';
import { ApiKeyGuard } from './api-key.guard';
import { parseParams } from './query-params';
import { ReadApiDocs } from './read-api.docs';

const FlowQuery = z.object({ minutes: z.coerce.number().int().min(1).max(1440).default(60) }).strict();

/** The flow at a glance: events booked per minute and type (what the operators' console charts). */
@Controller('v1/reports/flow')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('reports')
export class FlowController {
  constructor(private readonly flow: FlowRead) {}

  @Get()
  @ApiZodQuery(FlowQuery)
  @ApiZodResponse(200, 'events per minute and type over the last `minutes` minutes, oldest first', FlowReportSchema)
  async report(@Query() query: unknown) {
    const { minutes } = parseParams(FlowQuery, query);
    const { from, rows } = await this.flow.perMinute(minutes);
    return {
      from: from.toISOString(),
      minutes,
      buckets: rows.map((r) => ({ minute: r.minute.toISOString(), type: r.type, count: r.count })),
    };
  }
}
