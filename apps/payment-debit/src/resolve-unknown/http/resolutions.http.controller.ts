import {
  ApproveResolutionSchema,
  ProposeResolutionSchema,
  RejectResolutionSchema,
  ResolutionPageSchema,
  ResolutionProposalSchema,
  ResolutionStateSchema,
  type Page,
} from '@mm/contracts';
import {
  ApiErrorResponse,
  ApiZodBody,
  ApiZodParam,
  ApiZodQuery,
  ApiZodResponse,
  CurrentOperator,
  Operators,
  pageFields,
  parseParams,
  toPage,
  type Operator,
} from '@mm/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ResolveUnknownService } from '../resolve-unknown.service';
import type { ResolutionProposal } from '../resolution-proposal';
import { answering, OperatorApiDocs, timeIdCursor, Uuid } from './operator-api';

const ListQuerySchema = z.object({ state: ResolutionStateSchema.optional(), commandId: Uuid.optional(), ...pageFields }).strict();
const cursor = timeIdCursor(Uuid);
const BODY_ERRORS = 'the body is not JSON, has an unknown member, or a member is missing, too long or malformed (named in `details`)';

/** Maker-checker resolution of UNKNOWN debits: makers propose, other operators with the checker role decide. */
@Controller('v1')
@OperatorApiDocs('resolutions')
export class ResolutionsHttpController {
  constructor(private readonly resolutions: ResolveUnknownService) {}

  @Post('debits/:commandId/resolutions')
  @Operators('maker')
  @ApiZodParam('commandId', Uuid, 'the UNKNOWN debit')
  @ApiZodBody(
    ProposeResolutionSchema,
    'the outcome the maker found, with Bixi’s ids (DEBITED) or the reason (NOT_DEBITED) and the evidence',
  )
  @ApiZodResponse(201, 'the proposal, PROPOSED, waiting for a checker', ResolutionProposalSchema)
  @ApiErrorResponse(400, `${BODY_ERRORS}; or total + charges is not the debit's amount in its currency`)
  @ApiErrorResponse(404, 'no such debit')
  @ApiErrorResponse(409, 'the debit is not UNKNOWN, or already has an open proposal')
  @ApiErrorResponse(413, 'the body is larger than HTTP_BODY_LIMIT_BYTES')
  propose(@Param('commandId') raw: string, @Body() body: unknown, @CurrentOperator() maker: Operator): Promise<ResolutionProposal> {
    const commandId = parseParams(Uuid, raw, 'commandId');
    const draft = parseParams(ProposeResolutionSchema, body, 'body');
    return answering(this.resolutions.propose(commandId, draft, maker));
  }

  @Post('resolutions/:proposalId/approve')
  @HttpCode(200)
  @Operators('checker')
  @ApiZodParam('proposalId', Uuid)
  @ApiZodBody(ApproveResolutionSchema, 'optional: why the checker agrees')
  @ApiZodResponse(200, 'APPROVED and booked (the same answer, booked once, when approved before)', ResolutionProposalSchema)
  @ApiErrorResponse(400, BODY_ERRORS)
  @ApiErrorResponse(403, 'the checker made this proposal (nobody approves their own), or lacks the checker role')
  @ApiErrorResponse(404, 'no such proposal')
  @ApiErrorResponse(409, 'the proposal was rejected, or the debit stopped being UNKNOWN (the proposal is then REJECTED, saying so)')
  approve(@Param('proposalId') raw: string, @Body() body: unknown, @CurrentOperator() checker: Operator): Promise<ResolutionProposal> {
    const proposalId = parseParams(Uuid, raw, 'proposalId');
    const { reason } = parseParams(ApproveResolutionSchema, body ?? {}, 'body');
    return answering(this.resolutions.approve(proposalId, checker, reason));
  }

  @Post('resolutions/:proposalId/reject')
  @HttpCode(200)
  @Operators('checker')
  @ApiZodParam('proposalId', Uuid)
  @ApiZodBody(RejectResolutionSchema, 'why the checker refuses it')
  @ApiZodResponse(200, 'REJECTED (the same answer when rejected before); nothing is booked', ResolutionProposalSchema)
  @ApiErrorResponse(400, BODY_ERRORS)
  @ApiErrorResponse(403, 'the checker made this proposal, or lacks the checker role')
  @ApiErrorResponse(404, 'no such proposal')
  @ApiErrorResponse(409, 'the proposal was approved and booked')
  reject(@Param('proposalId') raw: string, @Body() body: unknown, @CurrentOperator() checker: Operator): Promise<ResolutionProposal> {
    const proposalId = parseParams(Uuid, raw, 'proposalId');
    const { reason } = parseParams(RejectResolutionSchema, body, 'body');
    return answering(this.resolutions.reject(proposalId, checker, reason));
  }

  @Get('resolutions')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ListQuerySchema)
  @ApiZodResponse(200, 'a page of proposals, newest first', ResolutionPageSchema)
  @ApiErrorResponse(400, 'a parameter is invalid (each one named in `details`), or the cursor is not one this list handed out')
  async list(@Query() query: unknown): Promise<Page<ResolutionProposal>> {
    const q = parseParams(ListQuerySchema, query);
    const rows = await this.resolutions.list({ state: q.state, commandId: q.commandId, before: cursor.decode(q.cursor), limit: q.limit });
    return toPage(
      rows,
      q.limit,
      (p) => cursor.encode({ at: p.createdAt, id: p.proposalId }),
      (p) => p,
    );
  }

  @Get('resolutions/:proposalId')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodParam('proposalId', Uuid)
  @ApiZodResponse(200, 'the proposal and its decision', ResolutionProposalSchema)
  @ApiErrorResponse(400, 'proposalId is not a UUID')
  @ApiErrorResponse(404, 'no such proposal')
  get(@Param('proposalId') raw: string): Promise<ResolutionProposal> {
    return answering(this.resolutions.find(parseParams(Uuid, raw, 'proposalId')));
  }
}
