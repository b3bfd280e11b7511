import type { BreakSummary, BreakView } from '@mm/contracts';
import { OutboxNotifier, recordOperatorAction, type Operator } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ParsedStatement } from '../statement';
import type { BreakFilter, CloseResult, ImportOutcome, StatementRepository } from '../statement.repository';
import { breakSummary, closeOpenBreak, findBreak, listBreaks } from './breaks.pg';
import { importBixi } from './import-bixi.pg';

/** Raw parameterised SQL; every operator write and its audit row commit together. */
@Injectable()
export class PgStatementRepository implements StatementRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
  ) {}

  async importBixi(statement: ParsedStatement, operator: Operator, windowMs: number): Promise<ImportOutcome> {
    const outcome = await this.dataSource.transaction((tx) => importBixi(tx, statement, operator, windowMs));
    // Resolutions left their events in the outbox: wake the relay.
    if (outcome.result.resolved > 0 && !outcome.replayed) this.notifier.notify();
    return outcome;
  }

  listBreaks(filter: BreakFilter): Promise<BreakView[]> {
    return listBreaks(this.dataSource, filter);
  }

  summary(): Promise<BreakSummary> {
    return breakSummary(this.dataSource);
  }

  closeBreak(breakId: string, operator: Operator, reason: string): Promise<CloseResult> {
    return this.dataSource.transaction(async (tx): Promise<CloseResult> => {
      const closed = await closeOpenBreak(tx, breakId, operator.sub, reason);
      if (!closed) {
        const existing = await findBreak(tx, breakId);
        return existing ? { kind: 'already_closed', view: existing } : { kind: 'not_found' };
      }
      await recordOperatorAction(tx, {
        operator,
        action: 'break.close',
        subject: `break:${breakId}`,
        reason,
        details: { type: closed.type },
      });
      return { kind: 'closed', view: closed };
    });
  }

  async recordExport(operator: Operator, filter: Omit<BreakFilter, 'before' | 'limit'>): Promise<void> {
    await recordOperatorAction(this.dataSource, {
      operator,
      action: 'breaks.export',
      subject: 'breaks',
      details: { format: 'csv', ...filter },
    });
  }
}
