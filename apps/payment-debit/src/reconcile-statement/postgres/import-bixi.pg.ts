import { createHash } from 'node:crypto';
import { uuidv7, type BreakType, type StatementImportResult } from '@mm/contracts';
import { recordOperatorAction, type Operator } from '@mm/platform';
import type { EntityManager } from 'typeorm';
import { resolutionFor } from '../../debits/debit-results';
import { resolveUnknown } from '../../postgres/resolve-unknown';
import { matchStatement, missingInStatement, type Resolution } from '../match-statement';
import { periodBounds, type BreakDraft, type ParsedStatement, type StatementLine, type StatementPeriod } from '../statement';
import type { ImportOutcome } from '../statement.repository';
import { BOOK_COLUMNS, toBookCommand, type BookRow } from './book-row';

/** Imports are rare and touch the same commands: one at a time, so matching sees every earlier import. */
const IMPORT_LOCK = `select pg_advisory_xact_lock(hashtext('mm:bixi-statement-import'))`;

/** Stores and matches one statement inside `tx` (see StatementRepository.importBixi). */
export async function importBixi(
  tx: EntityManager,
  statement: ParsedStatement,
  operator: Operator,
  windowMs: number,
): Promise<ImportOutcome> {
  await tx.query(IMPORT_LOCK);
  // A statement is known by its bytes and, when it declares itself complete for a period, by that period too.
  const key = statement.period
    ? createHash('sha256').update(statement.sha256).update(`period=${statement.period.from}..${statement.period.to}`).digest()
    : statement.sha256;
  const [known]: { result: StatementImportResult }[] = await tx.query(`select result from statements where content_sha256 = $1`, [key]);
  if (known) {
    await audit(tx, operator, known.result, true);
    return { result: known.result, replayed: true };
  }
  const { lines } = statement;
  const ids = [...new Set(lines.map((l) => l.id))];
  const stored: { line_key: string }[] = await tx.query(`select line_key from statement_lines where line_key = any($1)`, [ids]);
  const storedKeys = new Set(stored.map((r) => r.line_key));
  const fresh = new Map<string, StatementLine>();
  for (const line of lines) if (!storedKeys.has(line.id) && !fresh.has(line.id)) fresh.set(line.id, line);
  const newLines = [...fresh.values()];

  const receipts = [...new Set(newLines.map((l) => l.receiptId))];
  const commands = ((await tx.query(`select ${BOOK_COLUMNS} from debit_commands where receipt_id = any($1)`, [receipts])) as BookRow[]).map(
    toBookCommand,
  );
  const decisions = matchStatement(newLines, commands, windowMs, lines);
  const days = [...new Set(lines.map((l) => new Date(l.created).toISOString().slice(0, 10)))];
  const missing = (
    (await tx.query(
      `select ${BOOK_COLUMNS} from debit_commands c
        where c.state = 'APPROVED' and (c.submitted_at at time zone 'UTC')::date = any($1::date[])
          and c.bixi_transaction_id <> all($2::text[])
          and not exists (select 1 from statement_lines l where l.line_key = c.bixi_transaction_id)`,
      [days, ids],
    )) as BookRow[]
  ).map((r) => missingInStatement(toBookCommand(r)));

  const statementId = uuidv7();
  let resolved = 0;
  for (const r of decisions.resolutions) if (await resolve(tx, statementId, r)) resolved += 1;
  if (statement.period) resolved += await resolveAbsent(tx, statementId, statement.period, receipts, windowMs);
  const breaks = await insertBreaks(tx, statementId, [...decisions.breaks, ...missing]);
  const result: StatementImportResult = {
    statementId,
    contentSha256: statement.sha256.toString('hex'),
    linesRead: lines.length,
    stored: newLines.length,
    alreadyKnown: lines.length - newLines.length,
    resolved,
    breaks,
  };
  await tx.query(
    `insert into statements (statement_id, source, content_sha256, line_count, result, imported_by) values ($1, 'bixi', $2, $3, $4, $5)`,
    [statementId, key, lines.length, JSON.stringify(result), operator.sub],
  );
  await insertLines(tx, statementId, newLines);
  await audit(tx, operator, result, false);
  return { result, replayed: false };
}

const audit = (tx: EntityManager, operator: Operator, result: StatementImportResult, replayed: boolean) =>
  recordOperatorAction(tx, {
    operator,
    action: 'statement.import',
    subject: `statement:${result.statementId}`,
    details: { source: 'bixi', replayed, ...result },
  });

function resolve(tx: EntityManager, statementId: string, { command, line, outcome }: Resolution): Promise<boolean> {
  const evidence =
    `Bixi statement ${statementId} line ${line.lineNo}: transaction ${line.id}, status ${line.status}, amount ${line.amount.amountMinor}` +
    ` charges ${line.charges.amountMinor} total ${line.total.amountMinor} ${line.currency}, created ${line.created}`;
  const resolution = { kind: 'statement' as const, statementId, lineKey: line.id, evidence: evidence.slice(0, 2048) };
  return resolveUnknown(tx, command.commandId, 'statement', outcome, resolutionFor(command, outcome, resolution));
}

/**
 * A statement complete for a period proves a negative: an UNKNOWN debit whose whole matching window lies inside the
 * period, and whose receipt appears on no line of any statement, was not debited by Bixi. It is resolved NOT_DEBITED,
 * the statement being the evidence. A receipt that does appear (on a line that did not match) is left to operators.
 */
async function resolveAbsent(
  tx: EntityManager,
  statementId: string,
  period: StatementPeriod,
  receiptsOfThisStatement: string[],
  windowMs: number,
): Promise<number> {
  const { start, end } = periodBounds(period);
  const rows: BookRow[] = await tx.query(
    `select ${BOOK_COLUMNS} from debit_commands c
      where c.state = 'UNKNOWN' and c.resolved_at is null
        and c.submitted_at >= $1::timestamptz + ($3 * interval '1 millisecond')
        and c.submitted_at < $2::timestamptz - ($3 * interval '1 millisecond')
        and c.receipt_id <> all($4::text[])
        and not exists (select 1 from statement_lines l where l.receipt_id = c.receipt_id)
      order by c.submitted_at limit 10000`,
    [start, end, windowMs, receiptsOfThisStatement],
  );
  let resolved = 0;
  const days = `${period.from}..${period.to}`;
  for (const command of rows.map(toBookCommand)) {
    const reason = `absent from Bixi statement ${statementId}, complete for ${days}`;
    const outcome = { state: 'DECLINED' as const, reason, bixiStatus: 'absent' };
    const evidence = `no line of Bixi statement ${statementId} (declared complete for ${days}) nor of any earlier statement carries receiptId ${command.receiptId}`;
    const resolution = { kind: 'statement' as const, statementId, lineKey: `absent:${days}`, evidence };
    if (await resolveUnknown(tx, command.commandId, 'statement', outcome, resolutionFor(command, outcome, resolution))) resolved += 1;
  }
  return resolved;
}

/** New breaks by type; one found before (same key) is not stored again. */
async function insertBreaks(tx: EntityManager, statementId: string, drafts: BreakDraft[]): Promise<StatementImportResult['breaks']> {
  if (drafts.length === 0) return [];
  const rows: { type: BreakType }[] = await tx.query(
    `insert into breaks (break_id, break_key, type, statement_id, statement_rows, book_rows, detail)
     select t.break_id, t.break_key, t.type, $7, t.statement_rows::jsonb, t.book_rows::jsonb, t.detail
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         as t(break_id, break_key, type, statement_rows, book_rows, detail)
     on conflict (break_key) do nothing
     returning type`,
    [
      drafts.map(() => uuidv7()),
      drafts.map((d) => d.key.slice(0, 1024)),
      drafts.map((d) => d.type),
      drafts.map((d) => JSON.stringify(d.statementRows)),
      drafts.map((d) => JSON.stringify(d.bookRows)),
      drafts.map((d) => d.detail),
      statementId,
    ],
  );
  const counts = new Map<BreakType, number>();
  for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type));
}

async function insertLines(tx: EntityManager, statementId: string, lines: StatementLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `insert into statement_lines (line_key, statement_id, line_no, receipt_id, account_number, status, currency, amount_minor,
       charges_minor, total_minor, created, columns)
     select t.line_key, $1, t.line_no, t.receipt_id, t.account_number, t.status, t.currency, t.amount_minor, t.charges_minor,
            t.total_minor, t.created, t.columns::jsonb
       from unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[],
                   $11::timestamptz[], $12::text[])
         as t(line_key, line_no, receipt_id, account_number, status, currency, amount_minor, charges_minor, total_minor, created, columns)`,
    [
      statementId,
      lines.map((l) => l.id),
      lines.map((l) => l.lineNo),
      lines.map((l) => l.receiptId),
      lines.map((l) => l.accountNumber),
      lines.map((l) => l.status),
      lines.map((l) => l.currency),
      lines.map((l) => l.amount.amountMinor),
      lines.map((l) => l.charges.amountMinor),
      lines.map((l) => l.total.amountMinor),
      lines.map((l) => l.created),
      lines.map((l) => JSON.stringify(l.columns)),
    ],
  );
}
