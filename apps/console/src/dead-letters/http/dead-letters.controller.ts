import { DeadLetterStateSchema, DeadLetterViewSchema, ReplayDeadLetterSchema } from '@mm/contracts';
import { ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodResponse, parseParams } from '@mm/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import { DEAD_LETTER_SERVICES, DeadLettersService } from '../dead-letters.service';

const Service = z.enum(DEAD_LETTER_SERVICES);
const LetterId = z.string().regex(/^[0-9]{1,19}$/, 'a dead letter id is a number');
const ListQuery = z.object({ state: DeadLetterStateSchema.optional() }).strict();

/** The Dead letters page: every consuming service's inbox, one letter in full, and a checker's replay. */
@Controller('api/dead-letters')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(502, 'the service could not be reached or failed')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiErrorResponse(400, 'state is neither open nor replayed')
  list(@Query() raw: unknown, @CurrentSession() s: ConsoleSession) {
    return this.deadLetters.list(parseParams(ListQuery, raw, 'query').state, s.operator);
  }

  @Get(':service/:id')
  @ApiZodParam('service', Service)
  @ApiZodParam('id', LetterId)
  @ApiZodResponse(200, 'the letter with its headers and value', DeadLetterViewSchema)
  @ApiErrorResponse(404, 'no such letter')
  get(@Param('service') service: string, @Param('id') id: string, @CurrentSession() s: ConsoleSession) {
    return this.deadLetters.get(parseParams(Service, service, 'service'), parseParams(LetterId, id, 'id'), s.operator);
  }

  @Post(':service/:id/replay')
  @HttpCode(200)
  @ApiZodParam('service', Service)
  @ApiZodParam('id', LetterId)
  @ApiZodBody(ReplayDeadLetterSchema, 'why the checker replays it')
  @ApiZodResponse(200, 'replayed to its original topic', DeadLetterViewSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, or the operator is not a checker')
  @ApiErrorResponse(409, 'already replayed, or its topic is not one the service consumes')
  replay(@Param('service') service: string, @Param('id') id: string, @Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    const { reason } = parseParams(ReplayDeadLetterSchema, body, 'body');
    return this.deadLetters.replay(parseParams(Service, service, 'service'), parseParams(LetterId, id, 'id'), reason, s.operator);
  }
}
