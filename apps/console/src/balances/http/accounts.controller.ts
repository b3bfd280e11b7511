import { LedgerAccountSchema } from '@mm/contracts';
import { ApiErrorResponse, ApiZodParam, ApiZodQuery, ApiZodResponse, parseParams } from '@mm/platform';
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { passThrough } from '../../resolve-unknown/resolutions.service';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import { ServicesClient } from '../../upstream/services.client';

/** The ledger's own rule for an account id (apps/ledger read API). */
const AccountId = z.string().regex(/^[A-Za-z0-9._:@+-]{1,200}$/, 'must be an account id such as customer:12000');
const PageQuery = z.object({ cursor: z.string().max(512).optional() }).strict();
/** Postings per page: enough for the balance-over-time chart of a busy account's recent hours. */
const PAGE = 200;

/** The Balances page: one account's balance per currency and its postings, newest first, from the ledger. */
@Controller('api/accounts')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
@ApiErrorResponse(502, 'the ledger could not be reached or failed')
export class AccountsController {
  constructor(private readonly services: ServicesClient) {}

  @Get(':accountId')
  @ApiZodParam('accountId', AccountId)
  @ApiZodQuery(PageQuery)
  @ApiZodResponse(200, 'balance per currency and a page of postings, newest first', LedgerAccountSchema)
  @ApiErrorResponse(404, 'the account has no postings')
  async find(@Param('accountId') raw: string, @Query() query: unknown, @CurrentSession() s: ConsoleSession) {
    const accountId = parseParams(AccountId, raw, 'accountId');
    const params = new URLSearchParams({ limit: String(PAGE) });
    const { cursor } = parseParams(PageQuery, query);
    if (cursor) params.set('cursor', cursor);
    const path = `/v1/accounts/${encodeURIComponent(accountId)}?${params}`;
    return passThrough(await this.services.get<unknown>('ledger', path, s.operator), 'the ledger');
  }
}
