import {
  DeadLetterPageSchema,
  DeadLettersQuerySchema,
  DeadLetterViewSchema,
  ReplayDeadLetterSchema,
  type DeadLetterSummary,
  type DeadLetterView,
  type Page,
} from '@mm/contracts';
import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { parseParams, toPage } from '../http-api/pages';
import { ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodQuery, ApiZodResponse } from '../openapi';
import { timeIdCursor } from '../operators/operator-actions.page';
import { CurrentOperator, Operators } from '../operators/operator.guard';
import type { Operator } from '../operators/operator-verifier';
import { findDeadLetter, listDeadLetters, toSummary, toView } from './dead-letter.store';
import { DeadLetterError, DeadLetterReplayService } from './dead-letter-replay.service';

const Id = z.string().regex(/^[0-9]{1,18}$/, 'must be a dead letter id');
const cursor = timeIdCursor(Id);
const notFound = (id: string) => new NotFoundException(`no dead letter ${id}`);

/** The service's dead letters: any operator reads them; a checker replays one, once, saying why. */
@Controller('v1/dead-letters')
@ApiTags('dead-letters')
@ApiErrorResponse(401, 'no operator bearer token, or one that is expired, forged or not for this service')
@ApiErrorResponse(403, "the token's roles do not allow this route")
export class DeadLettersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replays: DeadLetterReplayService,
  ) {}

  @Get()
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(DeadLettersQuerySchema)
  @ApiZodResponse(200, 'a page of dead letters, newest first', DeadLetterPageSchema)
  @ApiErrorResponse(400, 'a parameter is invalid (named in `details`), or the cursor is not one this list handed out')
  async list(@Query() query: unknown): Promise<Page<DeadLetterSummary>> {
    const q = parseParams(DeadLettersQuerySchema, query);
    const rows = await listDeadLetters(this.dataSource, { ...q, before: cursor.decode(q.cursor) });
    return toPage(rows, q.limit, (r) => cursor.encode({ at: r.received_at, id: r.id }), toSummary);
  }

  @Get(':id')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodParam('id', Id)
  @ApiZodResponse(200, 'the dead letter with its headers and value', DeadLetterViewSchema)
  @ApiErrorResponse(404, 'no such dead letter')
  async get(@Param('id') id: string): Promise<DeadLetterView> {
    const row = Id.safeParse(id).success ? await findDeadLetter(this.dataSource, id) : undefined;
    if (!row) throw notFound(id);
    return toView(row);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @Operators('checker')
  @ApiZodParam('id', Id)
  @ApiZodBody(ReplayDeadLetterSchema, 'why the checker replays it')
  @ApiZodResponse(200, 'the dead letter, replayed', DeadLetterViewSchema)
  @ApiErrorResponse(400, 'the reason is missing or shorter than 3 characters')
  @ApiErrorResponse(404, 'no such dead letter')
  @ApiErrorResponse(409, 'already replayed, or it came from a topic this service does not consume')
  async replay(@Param('id') id: string, @Body() body: unknown, @CurrentOperator() checker: Operator): Promise<DeadLetterView> {
    const { reason } = parseParams(ReplayDeadLetterSchema, body, 'body');
    if (!Id.safeParse(id).success) throw notFound(id);
    try {
      return await this.replays.replay(id, reason, checker);
    } catch (error) {
      if (!(error instanceof DeadLetterError)) throw error;
      throw error.code === 'NOT_FOUND' ? notFound(id) : new ConflictException(error.message);
    }
  }
}
