import {
  CORRECTION_STATES,
  CORRELATION_ID_HEADER,
  correlationIdFrom,
  CorrectionPageSchema,
  CorrectionViewSchema,
  ProposeCorrectionSchema,
  RejectCorrectionSchema,
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
  timeIdCursor,
  toPage,
  type Operator,
} from '@mm/platform';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CorrectEntryUseCase } from '../correct-entry.use-case';
import { CORRECTION_REPOSITORY, type Correction, type CorrectionRepository } from '../corrections';
import { OperatorApiDocs } from './corrections.docs';
import { correctionHttpError } from './correction-errors';

const Id = z.uuid();
const ListQuery = z.object({ state: z.enum(CORRECTION_STATES).optional(), ...pageFields }).strict();
/** Newest first: the cursor is the last row's (proposedAt, id). */
const cursor = timeIdCursor(z.uuid());

const correlationOf = (req: FastifyRequest) => correlationIdFrom(req.headers[CORRELATION_ID_HEADER]);

/** Corrections by two operators: a maker proposes reversing (part of) a booked entry, another checker decides. */
@Controller('v1/corrections')
@OperatorApiDocs('corrections')
export class CorrectionsController {
  constructor(
    private readonly corrections: CorrectEntryUseCase,
    @Inject(CORRECTION_REPOSITORY) private readonly repository: CorrectionRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @Operators('maker')
  @ApiZodBody(ProposeCorrectionSchema, 'the booked event to correct, the amount to reverse (same currency) and why')
  @ApiZodResponse(201, 'the proposal, PROPOSED', CorrectionViewSchema)
  @ApiErrorResponse(409, 'the amount is more than is left to reverse of the original (approved corrections count)')
  @ApiErrorResponse(
    422,
    'the event is not in the ledger, cannot be corrected (not a payment nor a debit that took money), or is in another currency',
  )
  async propose(@CurrentOperator() operator: Operator, @Body() body: unknown, @Req() req: FastifyRequest): Promise<Correction> {
    const proposal = parseParams(ProposeCorrectionSchema, body, 'body');
    return correctionHttpError(() => this.corrections.propose(operator, proposal, correlationOf(req)));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Operators('checker')
  @ApiZodParam('id', Id)
  @ApiZodResponse(200, 'the proposal, APPROVED, with its correctionId (the same answer again for an approved one)', CorrectionViewSchema)
  @ApiErrorResponse(403, 'the checker is the maker of the proposal')
  @ApiErrorResponse(404, 'no such correction')
  @ApiErrorResponse(409, 'the proposal was rejected, or approving it would reverse more than is left of the original')
  async approve(@CurrentOperator() operator: Operator, @Param('id') raw: string, @Req() req: FastifyRequest): Promise<Correction> {
    const id = parseParams(Id, raw, 'id');
    return correctionHttpError(() => this.corrections.approve(operator, id, correlationOf(req)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Operators('checker')
  @ApiZodParam('id', Id)
  @ApiZodBody(RejectCorrectionSchema, 'why the proposal is rejected')
  @ApiZodResponse(200, 'the proposal, REJECTED (the same answer again for a rejected one)', CorrectionViewSchema)
  @ApiErrorResponse(403, 'the checker is the maker of the proposal')
  @ApiErrorResponse(404, 'no such correction')
  @ApiErrorResponse(409, 'the proposal was already approved')
  async reject(
    @CurrentOperator() operator: Operator,
    @Param('id') raw: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<Correction> {
    const id = parseParams(Id, raw, 'id');
    const { reason } = parseParams(RejectCorrectionSchema, body, 'body');
    return correctionHttpError(() => this.corrections.reject(operator, id, reason, correlationOf(req)));
  }

  @Get()
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of corrections, newest first', CorrectionPageSchema)
  async list(@Query() query: unknown): Promise<Page<Correction>> {
    const q = parseParams(ListQuery, query);
    const rows = await this.repository.list({ state: q.state, limit: q.limit, before: cursor.decode(q.cursor) });
    return toPage(
      rows,
      q.limit,
      (r) => cursor.encode({ at: r.proposedAt, id: r.id }),
      (r) => r,
    );
  }

  @Get(':id')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodParam('id', Id)
  @ApiZodResponse(200, 'the correction', CorrectionViewSchema)
  @ApiErrorResponse(404, 'no such correction')
  async findOne(@Param('id') raw: string): Promise<Correction> {
    const id = parseParams(Id, raw, 'id');
    return correctionHttpError(() => this.corrections.find(id));
  }
}
