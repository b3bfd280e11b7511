import { BREAK_TYPES, uuidv7, type ProviderStatementImport } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { matchStatement } from './match-statement';
import { readStatement, type StatementFormat } from './read-statement';
import { STATEMENT_STORE, type StatementStore, type TransactionKeys } from './statement-store';

export interface ImportRequest {
  body: AsyncIterable<Buffer | string>;
  format: StatementFormat;
  maxBytes: number;
  operator: Operator;
  correlationId?: string;
}

/**
 * Imports a provider's settlement statement: read and validate it whole (a bad line refuses all of it), then in one
 * transaction store its new lines, the breaks matching finds, the statement with its result and the operator's
 * action. A statement already imported (same bytes) answers its first result and stores nothing.
 */
@Injectable()
export class ImportProviderStatementUseCase {
  constructor(@Inject(STATEMENT_STORE) private readonly store: StatementStore) {}

  async import(request: ImportRequest): Promise<ProviderStatementImport> {
    const { contentHash, rows } = await readStatement(request.body, request.format, request.maxBytes);
    const keys: TransactionKeys = {
      providerIds: rows.map((r) => r.line.providerId),
      transactionIds: rows.map((r) => r.line.transactionId),
    };
    const providers = [...new Set(keys.providerIds)].sort();
    const days = [...new Set(rows.map((r) => new Date(r.line.time).toISOString().slice(0, 10)))].sort();
    return this.store.importing(async (tx) => {
      const known = await tx.findByHash(contentHash);
      if (known) return known;
      const [payments, stored, unlisted] = [
        await tx.paymentsFor(keys),
        await tx.storedLinesFor(keys),
        await tx.unlistedPayments(providers, days, keys),
      ];
      const { newRows, breaks } = matchStatement({ rows, payments, stored, unlisted });
      const statementId = uuidv7();
      await tx.insertLines(statementId, newRows);
      const recorded = await tx.insertBreaks(statementId, breaks);
      const result: ProviderStatementImport = {
        statementId,
        contentHash,
        format: request.format,
        lines: rows.length,
        providers,
        days,
        breaks: BREAK_TYPES.map((type) => ({ type, count: recorded.filter((t) => t === type).length })).filter((b) => b.count > 0),
        importedBy: request.operator.sub,
        importedAt: new Date().toISOString(),
      };
      await tx.insertStatement(result);
      await tx.audit({
        operator: request.operator,
        action: 'statement.import',
        subject: `statement:${statementId}`,
        details: { kind: 'provider', contentHash, lines: rows.length, newLines: newRows.length, breaks: result.breaks },
        correlationId: request.correlationId,
      });
      return result;
    });
  }
}
