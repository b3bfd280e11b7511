import {
  ApproveResolutionSchema,
  DebitPageSchema,
  OpenSuspenseSchema,
  ProposeResolutionSchema,
  RejectResolutionSchema,
  ResolutionProposalSchema,
} from '@mm/contracts';
import { ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodResponse, parseParams } from '@mm/platform';
import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import { ResolutionsService } from '../resolutions.service';

const Uuid = z.uuid();

/** The UNKNOWN debits page: the queue and open suspense, and maker-checker proposals (payment-debit decides). */
@Controller('api/resolutions')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(502, 'payment-debit or the ledger could not be reached or failed')
export class ResolutionsController {
  constructor(private readonly resolutions: ResolutionsService) {}

  @Get('queue')
  @ApiZodResponse(
    200,
    "payment-debit's UNKNOWN debits, its open (PROPOSED) proposals and the ledger's open suspense",
    z.object({
      debits: DebitPageSchema,
      proposals: z.array(ResolutionProposalSchema),
      suspense: OpenSuspenseSchema.omit({ nextCursor: true }),
    }),
  )
  queue(@CurrentSession() s: ConsoleSession) {
    return this.resolutions.queue(s.operator);
  }

  @Post('debits/:commandId')
  @ApiZodParam('commandId', Uuid, 'the UNKNOWN debit')
  @ApiZodBody(ProposeResolutionSchema, 'the outcome the maker found, with its evidence')
  @ApiZodResponse(201, 'the proposal, PROPOSED', ResolutionProposalSchema)
  @ApiErrorResponse(400, "the body is invalid, or total + charges is not the debit's amount")
  @ApiErrorResponse(403, 'no X-CSRF-Token, or the operator is not a maker')
  @ApiErrorResponse(409, 'the debit is not UNKNOWN, or already has an open proposal')
  propose(@Param('commandId') raw: string, @Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    return this.resolutions.propose(parseParams(Uuid, raw, 'commandId'), parseParams(ProposeResolutionSchema, body, 'body'), s.operator);
  }

  @Post(':proposalId/approve')
  @HttpCode(200)
  @ApiZodParam('proposalId', Uuid)
  @ApiZodBody(ApproveResolutionSchema, 'optional: why the checker agrees')
  @ApiZodResponse(200, 'APPROVED and booked', ResolutionProposalSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, the operator is not a checker, or made this proposal')
  @ApiErrorResponse(409, 'the proposal was rejected, or the debit is no longer UNKNOWN')
  approve(@Param('proposalId') raw: string, @Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    const reason = parseParams(ApproveResolutionSchema, body ?? {}, 'body');
    return this.resolutions.decide(parseParams(Uuid, raw, 'proposalId'), 'approve', reason, s.operator);
  }

  @Post(':proposalId/reject')
  @HttpCode(200)
  @ApiZodParam('proposalId', Uuid)
  @ApiZodBody(RejectResolutionSchema, 'why the checker refuses it')
  @ApiZodResponse(200, 'REJECTED; nothing is booked', ResolutionProposalSchema)
  @ApiErrorResponse(403, 'no X-CSRF-Token, the operator is not a checker, or made this proposal')
  @ApiErrorResponse(409, 'the proposal was approved and booked')
  reject(@Param('proposalId') raw: string, @Body() body: unknown, @CurrentSession() s: ConsoleSession) {
    const reason = parseParams(RejectResolutionSchema, body, 'body');
    return this.resolutions.decide(parseParams(Uuid, raw, 'proposalId'), 'reject', reason, s.operator);
  }
}
