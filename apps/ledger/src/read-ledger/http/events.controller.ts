import { LedgerEventSchema, pageSchema } from '@mm/contracts';
import { ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { EventsRead } from '../events.read';
import { ApiKeyGuard } from './api-key.guard';
import { ReadApiDocs } from './read-api.docs';
import { decodeCursor, pageFields, parseParams, timeRangeFields, toPage } from './query-params';
import { eventView, timeKeyOf } from './views';

const ListQuery = z
  .object({
    ...pageFields,
    ...timeRangeFields,
    type: z
      .string()
      .regex(/^[a-z0-9.-]{1,128}$/, 'must be an event type such as mm.payment.received.v1')
      .optional(),
  })
  .strict();

/** Every stored event with its Kafka origin and full envelope. */
@Controller('v1/events')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('events')
export class EventsController {
  constructor(private readonly events: EventsRead) {}

  @Get()
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of stored events, newest first', pageSchema(LedgerEventSchema))
  async list(@Query() query: unknown) {
    const q = parseParams(ListQuery, query);
    const rows = await this.events.list({ ...q, cursor: decodeCursor(q.cursor) });
    return toPage(rows, q.limit, timeKeyOf, eventView);
  }
}
