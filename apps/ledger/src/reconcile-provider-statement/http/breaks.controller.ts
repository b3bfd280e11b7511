import { BreakPageSchema, BreakStatusSchema, BreakSummarySchema, BreakTypeSchema, BreakViewSchema, CloseBreakSchema } from '@mm/contracts';
import {
  ApiDocs,
  ApiErrorResponse,
  ApiZodBody,
  ApiZodParam,
  ApiZodQuery,
  ApiZodResponse,
  CurrentOperator,
  cursorCodec,
  Operators,
  pageFields,
  parseParams,
  toPage,
  type Operator,
} from '@mm/platform';
import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiProduces } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BreakError, BreaksUseCase } from '../breaks.use-case';
import { BREAKS_CSV_HEADER, breakRecord } from './breaks.csv';

const filterFields = { type: BreakTypeSchema.optional(), status: BreakStatusSchema.optional(), statementId: z.uuid().optional() };
const ListQuery = z.object({ ...pageFields, ...filterFields }).strict();
const ExportQuery = z.object(filterFields).strict();
const BreakId = z.uuid();
const cursor = cursorCodec(
  z.tuple([z.iso.datetime({ offset: true }), z.uuid()]).transform(([at, id]) => ({ at, id })),
  (key) => [key.at, key.id],
);

/**
 * The breaks of providers' statements (Bixi statements' breaks are payment-debit's): read by any operator, closed by
 * a maker or checker with a reason. Every call is in the operators' audit trail.
 */
@Controller('v1')
@ApiDocs('breaks', 'operator')
@ApiErrorResponse(400, 'a parameter or the body is invalid (each named in `details`)')
@ApiErrorResponse(401, 'no valid operator token')
@ApiErrorResponse(403, "the token lacks the route's role")
export class BreaksController {
  constructor(private readonly breaks: BreaksUseCase) {}

  @Get('breaks')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ListQuery)
  @ApiZodResponse(200, 'a page of breaks, newest first', BreakPageSchema)
  async list(@Query() query: unknown) {
    const { limit, cursor: raw, ...filter } = parseParams(ListQuery, query);
    const rows = await this.breaks.list({ ...filter, before: cursor.decode(raw), limit });
    return toPage(
      rows,
      limit,
      (b) => cursor.encode({ at: b.createdAt, id: b.breakId }),
      (b) => b,
    );
  }

  @Get('breaks.csv')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(ExportQuery)
  @ApiProduces('text/csv')
  @ApiZodResponse(200, 'every break the filter selects as CSV, newest first; cells are spreadsheet-safe')
  async export(@Query() query: unknown, @CurrentOperator() operator: Operator, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const pages = await this.breaks.export(operator, parseParams(ExportQuery, query), String(req.id));
    async function* records() {
      yield BREAKS_CSV_HEADER;
      for await (const page of pages) yield page.map(breakRecord).join('');
    }
    void reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="provider-breaks.csv"')
      .send(Readable.from(records()));
  }

  @Get('breaks/summary')
  @Operators('viewer', 'maker', 'checker')
  @ApiZodResponse(200, 'open breaks counted by type', BreakSummarySchema)
  summary() {
    return this.breaks.summary();
  }

  @Post('breaks/:breakId/close')
  @HttpCode(200)
  @Operators('maker', 'checker')
  @ApiZodParam('breakId', BreakId)
  @ApiZodBody(CloseBreakSchema)
  @ApiZodResponse(200, 'the break, closed', BreakViewSchema)
  @ApiErrorResponse(404, 'no such break')
  @ApiErrorResponse(409, 'the break is already closed')
  async close(@Param('breakId') raw: string, @Body() body: unknown, @CurrentOperator() operator: Operator, @Req() req: FastifyRequest) {
    const breakId = parseParams(BreakId, raw, 'breakId');
    const { reason } = parseParams(CloseBreakSchema, body, 'body');
    try {
      return await this.breaks.close(operator, breakId, reason, String(req.id));
    } catch (error) {
      if (!(error instanceof BreakError)) throw error;
      throw error.code === 'not_found' ? new NotFoundException(error.message) : new ConflictException(error.message);
    }
  }
}
