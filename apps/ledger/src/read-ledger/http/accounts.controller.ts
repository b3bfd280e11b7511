import { LedgerAccountSchema } from '@mm/contracts';
import { ApiErrorResponse, ApiZodParam, ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AccountsRead } from '../accounts.read';
import { ApiKeyGuard } from './api-key.guard';
import { ReadApiDocs } from './read-api.docs';
import { decodeCursor, invalidCursor, pageFields, parseParams, toPage } from './query-params';
import { postingView } from './views';

const AccountId = z.string().regex(/^[A-Za-z0-9._:@+-]{1,200}$/, 'must be an account id such as customer:12000');
const PageQuery = z.object(pageFields).strict();

/** One account: its balance per currency and its postings, newest first. */
@Controller('v1/accounts')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsRead) {}

  @Get(':accountId')
  @ApiZodParam('accountId', AccountId)
  @ApiZodQuery(PageQuery)
  @ApiZodResponse(200, 'balance per currency and a page of postings, newest first', LedgerAccountSchema)
  @ApiErrorResponse(404, 'the account has no postings')
  async findOne(@Param('accountId') raw: string, @Query() query: unknown) {
    const accountId = parseParams(AccountId, raw, 'accountId');
    const q = parseParams(PageQuery, query);
    const cursor = decodeCursor(q.cursor);
    if (cursor && !/^[0-9]{1,19}$/.test(cursor.id)) throw invalidCursor();
    const found = await this.accounts.find(accountId, { limit: q.limit, ...(cursor ? { beforePostingId: cursor.id } : {}) });
    if (!found) throw new NotFoundException(`account ${accountId} has no postings in the ledger`);
    const page = toPage(found.postings, q.limit, (p) => ({ time: p.booked_at.toISOString(), id: p.id }), postingView);
    return {
      accountId,
      createdAt: found.createdAt.toISOString(),
      balances: found.balances.map((b) => ({ currency: b.currency, balanceMinor: b.balance_minor, postings: b.postings })),
      recentPostings: page.items,
      nextCursor: page.nextCursor,
    };
  }
}
