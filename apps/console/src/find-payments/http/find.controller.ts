import { LedgerDebitSchema, LedgerPaymentSchema, SearchQuerySchema } from '@mm/contracts';
import { ApiErrorResponse, ApiZodParam, ApiZodQuery, ApiZodResponse, parseParams } from '@mm/platform';
import {
  BadGatewayException,
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  UseGuards,
  type HttpException,
} from '@nestjs/common';
import { z } from 'zod';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import type { Upstream } from '../../upstream/services.client';
import { FindService } from '../find.service';

const Id = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or ._:-');
const CommandId = z.uuid();

/** The ledger's answer as the console's: its 400 and 404 keep their message; anything else is a 502. */
function answer<T>(upstream: Upstream<T>, what: string): T {
  if (upstream.status === 200) return upstream.body;
  const message = (b: unknown) => (typeof b === 'object' && b && 'message' in b ? String(b.message) : what);
  let error: HttpException = new BadGatewayException(`the ledger could not answer (${what})`);
  if (upstream.status === 400) error = new BadRequestException(message(upstream.body));
  if (upstream.status === 404) error = new NotFoundException(message(upstream.body));
  throw error;
}

@Controller('api')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(502, 'the ledger could not be reached or failed')
export class FindController {
  constructor(private readonly find: FindService) {}

  @Get('search')
  @ApiZodQuery(SearchQuerySchema)
  @ApiZodResponse(
    200,
    "a page of the ledger's payments or debits, newest first",
    z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() }),
  )
  @ApiErrorResponse(400, 'a parameter is invalid')
  async search(@Query() query: unknown, @CurrentSession() s: ConsoleSession) {
    return answer(await this.find.search(parseParams(SearchQuerySchema, query), s.operator), 'search');
  }

  @Get('payments/:paymentId')
  @ApiZodParam('paymentId', Id)
  @ApiZodResponse(200, 'the payment with its events and postings', LedgerPaymentSchema)
  @ApiErrorResponse(404, 'no such payment')
  async payment(@Param('paymentId') raw: string, @CurrentSession() s: ConsoleSession) {
    return answer(await this.find.payment(parseParams(Id, raw, 'paymentId'), s.operator), 'payment');
  }

  @Get('debits/:commandId')
  @ApiZodParam('commandId', CommandId)
  @ApiZodResponse(200, 'the debit command, its results (its state history) and their postings', LedgerDebitSchema)
  @ApiErrorResponse(404, 'no such debit')
  async debit(@Param('commandId') raw: string, @CurrentSession() s: ConsoleSession) {
    return answer(await this.find.debit(parseParams(CommandId, raw, 'commandId'), s.operator), 'debit');
  }
}
