import { UUID_PATTERN, uuidv7 } from '@mm/contracts';
import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AcceptDebitService } from '../debits/accept-debit.service';
import { DebitStates } from '../debits/debit-command';
import { DEBIT_REPOSITORY, type DebitRepository, type StoredDebit } from '../debits/debit.repository';
import { DebitApiKeyGuard } from './api-key.guard';

const ListQuerySchema = z.object({
  state: z.enum(DebitStates),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().regex(UUID_PATTERN, 'after must be a commandId').optional(),
});

/** Debit commands over HTTP: submit one, read one, list by state (UNKNOWN is the reconciliation queue). */
@Controller('v1/debits')
@UseGuards(DebitApiKeyGuard)
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
  async submit(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ commandId: string; state: 'RECEIVED' }> {
    const result = await this.accept.accept(body, correlationIdOf(req), headerOf(req, 'idempotency-key'));
    if (result.kind === 'invalid') throw new BadRequestException({ message: 'invalid debit command', errors: result.reasons });
    if (result.kind === 'conflict') throw new ConflictException({ message: `commandId ${result.commandId} was already used for a different debit` });
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { commandId: result.commandId, state: 'RECEIVED' };
  }

  @Get(':commandId')
  async get(@Param('commandId') commandId: string): Promise<StoredDebit> {
    if (!UUID_PATTERN.test(commandId)) throw new BadRequestException({ message: 'commandId must be a UUID' });
    const debit = await this.repository.find(commandId.toLowerCase());
    if (!debit) throw new NotFoundException({ message: `no debit ${commandId}` });
    return debit;
  }

  @Get()
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

/** The caller's X-Correlation-Id when it is a sane token (the same rule the access log applies), else a new id. */
function correlationIdOf(req: FastifyRequest): string {
  const value = headerOf(req, 'x-correlation-id');
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : uuidv7();
}
