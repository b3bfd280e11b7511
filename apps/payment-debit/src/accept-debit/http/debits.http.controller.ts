import { DebitAcceptedResponseSchema, DebitApiErrorSchema, DebitHttpRequestSchema, DebitPageSchema, StoredDebitSchema, UUID_PATTERN, CORRELATION_ID_HEADER, CorrelationIdSchema, correlationIdFrom } from '@mm/contracts';
import { ApiDocs, ApiZodBody, ApiZodHeader, ApiZodParam, ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AcceptDebitService } from '../accept-debit.service';
import { DebitStates } from '../../debits/debit-command';
import { DEBIT_REPOSITORY, type DebitRepository, type StoredDebit } from '../../debits/debit.repository';
import { DebitApiKeyGuard } from './api-key.guard';

const ListQuerySchema = z.object({
  state: z.enum(DebitStates),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().regex(UUID_PATTERN, 'after must be a commandId').optional(),
});

/** Debit commands over HTTP: submit one, read one, list by state (UNKNOWN is the reconciliation queue). */
@Controller('v1/debits')
@UseGuards(DebitApiKeyGuard)
@ApiDocs('debits', 'apiKey')
@ApiZodResponse(401, 'X-API-Key is missing or wrong', DebitApiErrorSchema)
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
  @ApiZodHeader('X-Correlation-Id', CorrelationIdSchema, 'carried on every event of the command; a new one is made when absent or malformed')
  @ApiZodResponse(202, 'stored as RECEIVED (a repeat of the same request gets the same answer and `Idempotent-Replayed: true`)', DebitAcceptedResponseSchema)
  @ApiZodResponse(400, 'the command is invalid (`errors` names each problem)', DebitApiErrorSchema)
  @ApiZodResponse(409, 'the commandId was already used for a different debit', DebitApiErrorSchema)
  async submit(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ commandId: string; state: 'RECEIVED' }> {
    const result = await this.accept.accept(body, correlationIdFrom(req.headers[CORRELATION_ID_HEADER]), headerOf(req, 'idempotency-key'));
    if (result.kind === 'invalid') throw new BadRequestException({ message: 'invalid debit command', errors: result.reasons });
    if (result.kind === 'conflict') throw new ConflictException({ message: `commandId ${result.commandId} was already used for a different debit` });
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { commandId: result.commandId, state: 'RECEIVED' };
  }

  @Get(':commandId')
  @ApiZodParam('commandId', z.uuid())
  @ApiZodResponse(200, 'the command as stored, with its Bixi outcome once known', StoredDebitSchema)
  @ApiZodResponse(400, 'commandId is not a UUID', DebitApiErrorSchema)
  @ApiZodResponse(404, 'no such command', DebitApiErrorSchema)
  async get(@Param('commandId') commandId: string): Promise<StoredDebit> {
    if (!UUID_PATTERN.test(commandId)) throw new BadRequestException({ message: 'commandId must be a UUID' });
    const debit = await this.repository.find(commandId.toLowerCase());
    if (!debit) throw new NotFoundException({ message: `no debit ${commandId}` });
    return debit;
  }

  @Get()
  @ApiZodQuery(ListQuerySchema)
  @ApiZodResponse(200, 'commands in one state, in commandId order; UNKNOWN is the reconciliation queue', DebitPageSchema)
  @ApiZodResponse(400, 'invalid query', DebitApiErrorSchema)
  async list(@Query() query: Record<string, unknown>): Promise<{ items: StoredDebit[]; next?: string }> {
    const parsed = ListQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException({ message: 'invalid query', errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    const { state, limit, after } = parsed.data;
    const items = await this.repository.list(state, limit, after?.toLowerCase());
    return items.length === limit ? { items, next: items[items.length - 1]!.commandId } : { items };
  }
}

const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const header = req.headers[name];
  return Array.isArray(header) ? header[0] : header;
};
