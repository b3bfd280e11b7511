import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostingRow } from './payments.read';

export interface BalanceRow {
  currency: string;
  balance_minor: string;
  postings: number;
}

/** Balances are always summed from postings: there is no balance column to drift or be edited. */
@Injectable()
export class AccountsRead {
  constructor(private readonly dataSource: DataSource) {}

  async find(
    accountId: string,
    page: { beforePostingId?: string; limit: number },
  ): Promise<{ createdAt: Date; balances: BalanceRow[]; postings: PostingRow[] } | undefined> {
    const [account]: { created_at: Date }[] = await this.dataSource.query(`select created_at from accounts where id = $1`, [accountId]);
    if (!account) return undefined;
    const balances: BalanceRow[] = await this.dataSource.query(
      `select currency, sum(amount_minor)::text as balance_minor, count(*)::int as postings
         from postings where account_id = $1 group by currency order by currency`,
      [accountId],
    );
    const postings: PostingRow[] = await this.dataSource.query(
      `select p.id::text, p.entry_id::text, j.event_id, p.account_id, p.currency, p.amount_minor::text, j.booked_at
         from postings p join journal_entries j on j.id = p.entry_id
        where p.account_id = $1 and ($2::bigint is null or p.id < $2::bigint)
        order by p.id desc limit $3`,
      [accountId, page.beforePostingId ?? null, page.limit + 1],
    );
    return { createdAt: account.created_at, balances, postings };
  }
}
