import { Readable } from 'node:stream';
import { CloseBreakSchema, type BreakSummary, type BreakView, type Page } from '@mm/contracts';
import { CurrentOperator, cursorCodec, Operators, parseParams, toPage, type Operator } from '@mm/platform';
import { Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { STATEMENT_REPOSITORY, type StatementRepository } from '../statement.repository';
import { breakCsvHeader, breakCsvRecord } from './break-csv';
import { BreakId, BreaksDocs, CloseDocs, ExportDocs, ExportQuery, ListDocs, ListQuery, SummaryDocs } from './breaks.docs';

/** Break ids are uuidv7: in time order, so the list's cursor is the last id of the page. */
const breakCursor = cursorCodec<string>(
  z.tuple([z.uuid()]).transform(([id]) => id.toLowerCase()),
  (id) => [id],
);
const EXPORT_PAGE = 500;

/** Reconciliation breaks of Bixi statements: listed and exported by any operator, closed by a maker or checker. */
@Controller('v1')
@BreaksDocs()
export class BreaksHttpController {
  constructor(@Inject(STATEMENT_REPOSITORY) private readonly repository: StatementRepository) {}

  @Get('breaks')
  @Operators('viewer', 'maker', 'checker')
  @ListDocs()
  async list(@Query() query: unknown): Promise<Page<BreakView>> {
    const { limit, cursor, ...filter } = parseParams(ListQuery, query);
    const rows = await this.repository.listBreaks({ ...filter, limit, before: breakCursor.decode(cursor) });
    return toPage(
      rows,
      limit,
      (b) => breakCursor.encode(b.breakId),
      (b) => b,
    );
  }

  /** Every break the filters select, as CSV safe to open in a spreadsheet; the export is audited. */
  @Get('breaks.csv')
  @Operators('viewer', 'maker', 'checker')
  @ExportDocs()
  async exportCsv(@Query() query: unknown, @CurrentOperator() operator: Operator, @Res() reply: FastifyReply): Promise<void> {
    const filter = parseParams(ExportQuery, query);
    await this.repository.recordExport(operator, filter);
    const repository = this.repository;
    async function* csv(): AsyncGenerator<string> {
      yield breakCsvHeader();
      let before: string | undefined;
      for (;;) {
        const rows = await repository.listBreaks({ ...filter, before, limit: EXPORT_PAGE });
        for (const b of rows.slice(0, EXPORT_PAGE)) yield breakCsvRecord(b);
        if (rows.length <= EXPORT_PAGE) return;
        before = rows[EXPORT_PAGE - 1]!.breakId;
      }
    }
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="breaks.csv"')
      .send(Readable.from(csv()));
  }

  @Get('breaks/summary')
  @Operators('viewer', 'maker', 'checker')
  @SummaryDocs()
  summary(): Promise<BreakSummary> {
    return this.repository.summary();
  }

  @Post('breaks/:breakId/close')
  @HttpCode(200)
  @Operators('maker', 'checker')
  @CloseDocs()
  async close(@Param('breakId') raw: string, @Body() body: unknown, @CurrentOperator() operator: Operator): Promise<BreakView> {
    const breakId = parseParams(BreakId, raw, 'breakId').toLowerCase();
    const { reason } = parseParams(CloseBreakSchema, body, 'body');
    const closed = await this.repository.closeBreak(breakId, operator, reason);
    if (closed.kind === 'not_found') throw new NotFoundException(`no break ${breakId}`);
    if (closed.kind === 'already_closed')
      throw new ConflictException(`break ${breakId} was already closed by ${closed.view.closedBy} at ${closed.view.closedAt}`);
    return closed.view;
  }
}
