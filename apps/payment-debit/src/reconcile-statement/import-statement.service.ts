import type { Readable } from 'node:stream';
import type { Operator } from '@mm/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import { readStatement, type StatementFormat } from './read-statement';
import { checkLinesInPeriod, type StatementPeriod } from './statement';
import { STATEMENT_REPOSITORY, type ImportOutcome, type StatementRepository } from './statement.repository';

/** `mm statements import bixi`: read a Bixi statement (bounded), store it once, settle what it proves, list the rest. */
@Injectable()
export class ImportStatementService {
  private readonly logger = new Logger(ImportStatementService.name);

  constructor(
    @Inject(DEBIT_CONFIG) private readonly config: Pick<DebitConfig, 'STATEMENT_MAX_BYTES' | 'STATEMENT_MATCH_WINDOW_MS'>,
    @Inject(STATEMENT_REPOSITORY) private readonly repository: StatementRepository,
  ) {}

  /** Throws StatementError (nothing stored) when the statement is too large or a line is invalid. */
  async importBixi(source: Readable, format: StatementFormat, operator: Operator, period?: StatementPeriod): Promise<ImportOutcome> {
    const statement = { ...(await readStatement(source, format, this.config.STATEMENT_MAX_BYTES)), ...(period ? { period } : {}) };
    checkLinesInPeriod(statement);
    const outcome = await this.repository.importBixi(statement, operator, this.config.STATEMENT_MATCH_WINDOW_MS);
    const { statementId, linesRead, resolved, breaks } = outcome.result;
    const log = { statementId, replayed: outcome.replayed, linesRead, resolved, breaks, period, operator: operator.sub };
    this.logger.log(log, 'Bixi statement imported');
    return outcome;
  }
}
