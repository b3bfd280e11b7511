import {
  DebitAcceptedResponseSchema,
  DebitHttpRequestSchema,
  DebitPageSchema,
  StoredDebitSchema,
  UUID_PATTERN,
  CORRELATION_ID_HEADER,
  CorrelationIdSchema,
  correlationIdFrom,
  type Page,
} from '@mm/contracts';
import {
  ApiDocs,
  ApiErrorResponse,
  ApiZodBody,
  ApiZodHeader,
  ApiZodParam,
  ApiZodQuery,
  ApiZodResponse,
  cursorCodec,
  pageFields,
  parseParams,
  toPage,
} from '@mm/platform';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AcceptDebitService } from '../accept-debit.service';
import { DebitStates } from '../../debits/debit-command';
import { DEBIT_REPOSITORY, type DebitRepository, type StoredDebit } from '../../debits/debit.repository';
import { DebitApiKeyGuard } from './api-key.guard';

const CommandId = z.string().regex(UUID_PATTERN, 'must be a UUID');
const ListQuerySchema = z.object({ state: z.enum(DebitStates), ...pageFields }).strict();
/** The list is in commandId order: its cursor is the last commandId of the page. */
const commandIdCursor = cursorCodec<string>(
  z.tuple([CommandId]).transform(([id]) => id.toLowerCase()),
  (id) => [id],
);

/** Debit commands over HTTP: submit one, read one, list by state (UNKNOWN is the reconciliation queue). */
@Controller('v1/debits')
@UseGuards(DebitApiKeyGuard)
@ApiDocs('debits', 'apiKey')
@ApiErrorResponse(401, 'X-API-Key is missing or wrong')
@ApiErrorResponse(500, 'internal error (its text is never sent)')
export class DebitsHttpController {
  constructor(
    private readonly accept: AcceptDebitService,
    @Inject(DEBIT_REPOSITORY) private readonly repository: DebitRepository,
  ) {}

  /**
   * 202 `{commandId, state: 'RECEIVED'}`, the same body for a repeat of the same request (flagged by the
   * `Idempotent-Replayed: true` header); the command's progress is read with GET.
   */
  @Post()
  @HttpCode(202)
  @ApiZodBody(DebitHttpRequestSchema, 'the DebitRequested command; `commandId` may be given as the Idempotency-Key header instead')
  @ApiZodHeader('Idempotency-Key', z.uuid(), 'the commandId, when the body has none (both must agree when both are given)')
  @ApiZodHeader(
    'X-Correlation-Id',
    CorrelationIdSchema,
    'carried on every event of the command; a new one is made when absent or malformed',
  )
  @ApiZodResponse(
    202,
    'stored as RECEIVED (a repeat of the same request gets the same answer and `Idempotent-Replayed: true`)',
    DebitAcceptedResponseSchema,
  )
  @ApiErrorResponse(400, 'the command is invalid, or the body is not JSON (`details` names each invalid field)')
  @ApiErrorResponse(409, 'the commandId was already used for a different debit')
  @ApiErrorResponse(413, 'the body is larger than 16 KiB')
  @ApiErrorResponse(415, 'the body is not JSON (nor text)')
  async submit(
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ commandId: string; state: 'RECEIVED' }> {
    const result = await this.accept.accept(body, correlationIdFrom(req.headers[CORRELATION_ID_HEADER]), headerOf(req, 'idempotency-key'));
    if (result.kind === 'invalid')
      throw new BadRequestException({
        message: `invalid debit command: ${result.reasons.join('; ')}`,
        details: result.reasons.map(detailOf),
      });
    if (result.kind === 'conflict')
      throw new ConflictException({ message: `commandId ${result.commandId} was already used for a different debit` });
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { commandId: result.commandId, state: 'RECEIVED' };
  }

  @Get(':commandId')
  @ApiZodParam('commandId', CommandId)
  @ApiZodResponse(200, 'the command as stored, with its Bixi outcome once known', StoredDebitSchema)
  @ApiErrorResponse(400, 'commandId is not a UUID')
  @ApiErrorResponse(404, 'no such command')
  async get(@Param('commandId') raw: string): Promise<StoredDebit> {
    const commandId = parseParams(CommandId, raw, 'commandId');
    const debit = await this.repository.find(commandId.toLowerCase());
    if (!debit) throw new NotFoundException(`no debit ${commandId}`);
    return debit;
  }

  @Get()
  @ApiZodQuery(ListQuerySchema)
  @ApiZodResponse(200, 'a page of commands in one state, in commandId order; UNKNOWN is the reconciliation queue', DebitPageSchema)
  @ApiErrorResponse(400, 'a parameter is invalid (each one named in `details`), or the cursor is not one this list handed out')
  async list(@Query() query: unknown): Promise<Page<StoredDebit>> {
    const { state, limit, cursor } = parseParams(ListQuerySchema, query);
    const rows = await this.repository.list(state, limit + 1, commandIdCursor.decode(cursor));
    return toPage(
      rows,
      limit,
      (row) => commandIdCursor.encode(row.commandId),
      (row) => row,
    );
  }
}

/** `field: message`, as the command's validation words a reason, as an error detail. */
const detailOf = (reason: string) => {
  const at = reason.indexOf(': ');
  return at > 0 ? { field: reason.slice(0, at), message: reason.slice(at + 2) } : { field: 'body', message: reason };
};

const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const header = req.headers[name];
  return Array.isArray(header) ? header[0] : header;
};
