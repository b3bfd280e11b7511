import { Readable } from 'node:stream';
import {
  BIXI_STATEMENT_CSV_HEADER,
  BreakPageSchema,
  BreakStatusSchema,
  BreakSummarySchema,
  BreakTypeSchema,
  BreakViewSchema,
  CloseBreakSchema,
  PROVIDER_STATEMENT_CSV_HEADER,
  ProviderStatementImportSchema,
  ReconciliationReportSchema,
  StatementImportResultSchema,
} from '@mm/contracts';
import { ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodQuery, ApiZodResponse, parseParams } from '@mm/platform';
import {
  BadGatewayException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../../config';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import type { ServiceName, Upstream } from '../../upstream/services.client';
import { ReconcileService, serviceOf, SOURCES } from '../reconcile.service';
import { statementMediaType } from './statement-body';

const SourceSchema = z.enum(SOURCES);
const filterFields = { source: SourceSchema.default('bixi'), type: BreakTypeSchema.optional(), status: BreakStatusSchema.optional() };
const BreaksQuery = z
  .object({ ...filterFields, limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().min(1).max(512).optional() })
  .strict();
const ExportQuery = z.object(filterFields).strict();
const UploadQuery = z.object({ period: z.string().min(1).max(32).optional() }).strict();
const ReportQuery = z.object({ date: z.iso.date() }).strict();
const BreakId = z.uuid();
/** The service statuses whose message the operator should read as it is; anything else is a 502. */
const RELAYED = new Set([400, 403, 404, 409, 413, 415]);

/** A service's answer as the console's: its 2xx body, its refusals with their message and details, else a 502. */
function relay<T>(upstream: Upstream<T>, service: ServiceName): T {
  if (upstream.status === 'unavailable') throw new BadGatewayException(`${service} could not be reached`);
  if (upstream.status >= 200 && upstream.status < 300) return upstream.body;
  if (!RELAYED.has(upstream.status)) throw new BadGatewayException(`${service} failed (${upstream.status})`);
  const body = (upstream.body ?? {}) as { message?: unknown; details?: unknown };
  const message = typeof body.message === 'string' ? `${service}: ${body.message}` : `${service} refused (${upstream.status})`;
  throw new HttpException({ message, ...(Array.isArray(body.details) ? { details: body.details } : {}) }, upstream.status);
}
const tooLarge = (max: number) => new PayloadTooLargeException(`a statement may have at most ${max} bytes`);

/**
 * Reconciliation as the signed-in operator: statements streamed through to their service (a maker), the breaks of
 * both services (any operator reads and exports them, a maker or checker closes one), and the ledger's daily report.
 */
@Controller('api')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(403, "a write without the session's X-CSRF-Token, or the service refused the operator's roles")
@ApiErrorResponse(502, 'the service could not be reached or failed')
export class ReconcileController {
  constructor(
    private readonly reconcile: ReconcileService,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Post('statements/:source')
  @HttpCode(200)
  @ApiZodParam('source', SourceSchema)
  @ApiZodQuery(UploadQuery)
  @ApiZodResponse(
    200,
    "the service's import result (bixi: payment-debit's; provider: the ledger's)",
    z.union([StatementImportResultSchema, ProviderStatementImportSchema]),
  )
  @ApiErrorResponse(400, 'an invalid statement or period (lines named in `details`)')
  @ApiErrorResponse(413, 'larger than CONSOLE_STATEMENT_MAX_BYTES')
  @ApiErrorResponse(
    415,
    `neither text/csv (header ${BIXI_STATEMENT_CSV_HEADER} or ${PROVIDER_STATEMENT_CSV_HEADER}) nor application/x-ndjson`,
  )
  async upload(
    @Param('source') rawSource: string,
    @Query() query: unknown,
    @Req() req: FastifyRequest,
    @CurrentSession() s: ConsoleSession,
  ) {
    const body = req.body as Readable | undefined;
    try {
      const source = parseParams(SourceSchema, rawSource, 'source');
      const { period } = parseParams(UploadQuery, query);
      if (!s.operator.roles.includes('maker')) throw new ForbiddenException('uploading a statement needs the maker role');
      const mediaType = statementMediaType(req.headers['content-type']);
      if (!mediaType || typeof body?.pipe !== 'function')
        throw new UnsupportedMediaTypeException('a statement is text/csv or application/x-ndjson');
      const max = this.config.CONSOLE_STATEMENT_MAX_BYTES;
      if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge(max);
      const outcome = await this.reconcile.upload(source, body, mediaType, period, s.operator);
      if (outcome.status === 'too_large') throw tooLarge(max);
      return relay(outcome, serviceOf(source));
    } finally {
      // A refused or cut body is discarded, not left unread: the answer still reaches the browser.
      req.raw.resume();
    }
  }

  @Get('breaks')
  @ApiZodQuery(BreaksQuery)
  @ApiZodResponse(200, "a page of one source's breaks, newest first, each with both sides' rows", BreakPageSchema)
  async breaks(@Query() query: unknown, @CurrentSession() s: ConsoleSession) {
    const { source, ...rest } = parseParams(BreaksQuery, query);
    return relay(await this.reconcile.breaks(source, rest, s.operator), serviceOf(source));
  }

  @Get('breaks/summary')
  @ApiZodResponse(
    200,
    'open breaks by type of both sources (null: the service could not answer)',
    z.object({ bixi: BreakSummarySchema.nullable(), provider: BreakSummarySchema.nullable() }),
  )
  summary(@CurrentSession() s: ConsoleSession) {
    return this.reconcile.summary(s.operator);
  }

  @Get('breaks.csv')
  @ApiZodQuery(ExportQuery)
  @ApiZodResponse(200, "every break the filter selects, as the service's spreadsheet-safe CSV (streamed through)")
  async exportCsv(@Query() query: unknown, @CurrentSession() s: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    const { source, ...filter } = parseParams(ExportQuery, query);
    let res: Response;
    try {
      res = await this.reconcile.exportCsv(source, filter, s.operator);
    } catch {
      throw new BadGatewayException(`${serviceOf(source)} could not be reached`);
    }
    if (res.status !== 200 || !res.body) relay({ status: res.status, body: await res.json().catch(() => ({})) }, serviceOf(source));
    await reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${source}-breaks.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream));
  }

  @Post('breaks/:source/:breakId/close')
  @HttpCode(200)
  @ApiZodParam('source', SourceSchema)
  @ApiZodParam('breakId', BreakId)
  @ApiZodBody(CloseBreakSchema)
  @ApiZodResponse(200, 'the break, closed (a maker or checker)', BreakViewSchema)
  @ApiErrorResponse(404, 'no such break')
  @ApiErrorResponse(409, 'the break is already closed')
  async close(
    @Param('source') rawSource: string,
    @Param('breakId') rawId: string,
    @Body() body: unknown,
    @CurrentSession() s: ConsoleSession,
  ) {
    const source = parseParams(SourceSchema, rawSource, 'source');
    const breakId = parseParams(BreakId, rawId, 'breakId');
    const { reason } = parseParams(CloseBreakSchema, body, 'body');
    return relay(await this.reconcile.close(source, breakId, reason, s.operator), serviceOf(source));
  }

  @Get('reports/reconciliation')
  @ApiZodQuery(ReportQuery)
  @ApiZodResponse(200, "the ledger's daily reconciliation report (open suspense by age, breaks by type)", ReconciliationReportSchema)
  async report(@Query() query: unknown, @CurrentSession() s: ConsoleSession) {
    const { date } = parseParams(ReportQuery, query);
    return relay(await this.reconcile.report(date, s.operator), 'ledger');
  }
}
