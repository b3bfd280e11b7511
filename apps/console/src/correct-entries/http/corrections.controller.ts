import {
  CORRECTION_STATES,
  CorrectionPageSchema,
  CorrectionViewSchema,
  ProposeCorrectionSchema,
  RejectCorrectionSchema,
} from '@mm/contracts';
import { ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodQuery, ApiZodResponse, parseParams } from '@mm/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import { CorrectionsService } from '../corrections.service';

const Uuid = z.uuid();
const ListQuery = z.object({ state: z.enum(CORRECTION_STATES).optional(), cursor: z.string().max(512).optional() }).strict();

/** The Corrections page: the ledger's proposals, and maker-checker decisions on them (the ledger decides). */
@Controller('api/corrections')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(502, 'the ledger could not be reached or failed')
export class CorrectionsController {
  constructor(private readonly corrections: CorrectionsService) {}

  @Get()
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, "a page of the ledger's corrections, newest first", CorrectionPageSchema)
  list(@Query() query: unknown, @CurrentSession() s: ConsoleSession) {
    return this.corrections.list(parseParams(ListQuery, query), s.operator);
  }

  @Get(':id')
  @ApiZodParam('id', Uuid)
  @ApiZodResponse(200, 'the correction', CorrectionViewSchema)
  @ApiErrorResponse(404, 'no such correction')
  find(@Param('id') raw: string, @CurrentSession() s: ConsoleSession) {
    return this.corrections.find(parseParams(Uuid, raw, 'id'), s.operator);
  }

  @Post()
  @ApiZodBody(ProposeCorrectionSchema, 'the booked event to correct, the amount to reverse (its currency) and why')
  @ApiZodResponse(201, 'the proposal, PROPOSED', CorrectionViewSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, or the operator is not a maker')
  @ApiErrorResponse(409, 'the amount is more than is left to reverse of the original')
  @ApiErrorResponse(422, 'the event is not in the ledger, cannot be corrected, or is in another currency')
  propose(@Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    return this.corrections.propose(parseParams(ProposeCorrectionSchema, body, 'body'), s.operator);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiZodParam('id', Uuid)
  @ApiZodResponse(200, 'APPROVED: the ledger books the reversal', CorrectionViewSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, the operator is not a checker, or made this proposal')
  @ApiErrorResponse(409, 'the proposal was rejected, or would reverse more than is left of the original')
  approve(@Param('id') raw: string, @CurrentSession() s: ConsoleSession) {
    return this.corrections.decide(parseParams(Uuid, raw, 'id'), 'approve', {}, s.operator);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiZodParam('id', Uuid)
  @ApiZodBody(RejectCorrectionSchema, 'why the checker refuses it')
  @ApiZodResponse(200, 'REJECTED; nothing is booked', CorrectionViewSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, the operator is not a checker, or made this proposal')
  @ApiErrorResponse(409, 'the proposal was already approved')
  reject(@Param('id') raw: string, @Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    const reason = parseParams(RejectCorrectionSchema, body, 'body');
    return this.corrections.decide(parseParams(Uuid, raw, 'id'), 'reject', reason, s.operator);
  }
}
