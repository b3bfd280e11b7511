import type { BreakSummary, BreakView } from '@mm/contracts';
import { recordOperatorAction, type Operator } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BreaksRead, type BreakFilter } from './breaks.read';
import { STATEMENT_STORE, type StatementStore } from './statement-store';

export type BreakErrorCode = 'not_found' | 'already_closed';

export class BreakError extends Error {
  constructor(
    readonly code: BreakErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BreakError';
  }
}

/** Most rows one CSV export holds; narrow the filter for more. */
export const BREAKS_EXPORT_MAX = 100_000;
const EXPORT_PAGE = 500;

/**
 * What operators do with provider-statement breaks: list, export, count and close them. Exports and closures are
 * recorded in the operators' audit trail (a closure in the same transaction as the closure itself); lists and counts
 * are reads, which a console polls, and are not (as for payment-debit's Bixi breaks).
 */
@Injectable()
export class BreaksUseCase {
  constructor(
    private readonly read: BreaksRead,
    private readonly dataSource: DataSource,
    @Inject(STATEMENT_STORE) private readonly store: StatementStore,
  ) {}

  list(filter: BreakFilter): Promise<BreakView[]> {
    return this.read.list(filter);
  }

  /** Records the export, then answers every break the filter selects (newest first, at most BREAKS_EXPORT_MAX), in pages. */
  async export(
    operator: Operator,
    filter: Omit<BreakFilter, 'limit' | 'before'>,
    correlationId?: string,
  ): Promise<AsyncIterable<BreakView[]>> {
    await this.audit(operator, 'breaks.export', filter, correlationId);
    return this.pages(filter);
  }

  private async *pages(filter: Omit<BreakFilter, 'limit' | 'before'>): AsyncGenerator<BreakView[]> {
    let before: BreakFilter['before'];
    for (let sent = 0; sent < BREAKS_EXPORT_MAX; sent += EXPORT_PAGE) {
      const rows = await this.read.list({ ...filter, before, limit: EXPORT_PAGE });
      const page = rows.slice(0, EXPORT_PAGE);
      if (page.length > 0) yield page;
      const last = page[page.length - 1];
      if (rows.length <= EXPORT_PAGE || !last) return;
      before = { at: last.createdAt, id: last.breakId };
    }
  }

  summary(): Promise<BreakSummary> {
    return this.read.summary();
  }

  async close(operator: Operator, breakId: string, reason: string, correlationId?: string): Promise<BreakView> {
    const outcome = await this.store.closeBreak(breakId, reason, {
      operator,
      action: 'break.close',
      subject: `break:${breakId}`,
      reason,
      details: { kind: 'provider' },
      correlationId,
    });
    if (outcome === 'not_found') throw new BreakError('not_found', `break ${breakId} does not exist`);
    if (outcome === 'already_closed') throw new BreakError('already_closed', `break ${breakId} is already closed`);
    const view = await this.read.findOne(breakId);
    if (!view) throw new BreakError('not_found', `break ${breakId} does not exist`);
    return view;
  }

  private audit(operator: Operator, action: string, details: Record<string, unknown>, correlationId?: string): Promise<void> {
    return recordOperatorAction(this.dataSource, { operator, action, subject: 'breaks:provider', details, correlationId });
  }
}
