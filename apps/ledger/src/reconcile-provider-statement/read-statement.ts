import { createHash } from 'node:crypto';
import {
  parseJsonExact,
  PROVIDER_STATEMENT_COLUMNS,
  PROVIDER_STATEMENT_CSV_HEADER,
  ProviderStatementLineSchema,
  type ProviderStatementLine,
} from '@mm/contracts';
import { CsvError, parse } from 'csv-parse/sync';

export type StatementFormat = 'csv' | 'ndjson';

/** Why a statement was refused as a whole; nothing of it is stored. */
export type StatementErrorCode = 'too_large' | 'malformed' | 'wrong_columns' | 'invalid_lines' | 'empty';

export class StatementError extends Error {
  constructor(
    readonly code: StatementErrorCode,
    message: string,
    /** Each problem with the line it is on and the field (column) it is in. */
    readonly problems: { line: number; field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'StatementError';
  }
}

/** One line of a statement: where it was, its cells as written, and the line parsed (amount in minor units). */
export interface StatementRow {
  lineNo: number;
  row: Record<string, string>;
  line: ProviderStatementLine;
}

export interface ReadStatement {
  contentHash: string;
  rows: StatementRow[];
}

/** Problems listed in an answer: enough to fix a file, never the whole of a hostile one. */
const MAX_PROBLEMS = 20;
const MAX_CELL = 1024;

/**
 * Reads an uploaded statement chunk by chunk, hashing it and refusing it as soon as it passes `maxBytes` (so a huge
 * upload costs at most that much memory), then parses it: CSV with the exact header `PROVIDER_STATEMENT_CSV_HEADER`,
 * or NDJSON with one object of those members per line. Every line must be valid, or the statement is refused with
 * each problem's line and field.
 */
export async function readStatement(
  body: AsyncIterable<Buffer | string>,
  format: StatementFormat,
  maxBytes: number,
): Promise<ReadStatement> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > maxBytes) throw new StatementError('too_large', `a statement may have at most ${maxBytes} bytes`);
    hash.update(bytes);
    chunks.push(bytes);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
  } catch {
    throw new StatementError('malformed', 'a statement must be UTF-8 text');
  }
  const records = format === 'csv' ? csvRecords(text) : ndjsonRecords(text);
  if (records.length === 0) throw new StatementError('empty', 'the statement has no lines');
  const rows: StatementRow[] = [];
  const problems: StatementError['problems'] = [];
  for (const { lineNo, record } of records) {
    const parsed = ProviderStatementLineSchema.safeParse(record);
    if (parsed.success) {
      rows.push({ lineNo, row: cellsOf(record), line: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const field = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : issue.path.map(String).join('.') || 'line';
      if (problems.length < MAX_PROBLEMS) problems.push({ line: lineNo, field, message: issue.message });
    }
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new StatementError('invalid_lines', `line ${first.line}, ${first.field}: ${first.message}`, problems);
  }
  return { contentHash: hash.digest('hex'), rows };
}

type RawRecord = { lineNo: number; record: Record<string, unknown> };

function csvRecords(text: string): RawRecord[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, max_record_size: 64 * 1024 }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = Number((error as CsvError & { lines?: number }).lines ?? 0);
    throw new StatementError('malformed', `not valid CSV at line ${line}: ${error.message}`, [
      { line, field: 'line', message: error.code },
    ]);
  }
  const [header, ...lines] = records;
  if (!header) return [];
  const found = header.record.map((c) => c.trim());
  const missing = PROVIDER_STATEMENT_COLUMNS.filter((c, i) => found[i] !== c);
  if (found.length !== PROVIDER_STATEMENT_COLUMNS.length || missing.length > 0) {
    const field = missing[0] ?? found[PROVIDER_STATEMENT_COLUMNS.length] ?? 'header';
    throw new StatementError('wrong_columns', `line 1 must be the header ${PROVIDER_STATEMENT_CSV_HEADER}`, [
      { line: 1, field: field.slice(0, 64), message: `expected the columns ${PROVIDER_STATEMENT_CSV_HEADER}` },
    ]);
  }
  return lines.map(({ record, info }) => ({
    lineNo: info.lines,
    record: Object.fromEntries(PROVIDER_STATEMENT_COLUMNS.map((c, i) => [c, record[i]])),
  }));
}

function ndjsonRecords(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch {
      throw new StatementError('malformed', `line ${i + 1} is not JSON`, [{ line: i + 1, field: 'line', message: 'not JSON' }]);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new StatementError('malformed', `line ${i + 1} is not a JSON object`, [
        { line: i + 1, field: 'line', message: 'not an object' },
      ]);
    }
    records.push({ lineNo: i + 1, record: value as Record<string, unknown> });
  });
  return records;
}

/** The line's cells as text, as the break views show them. */
const cellsOf = (record: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(PROVIDER_STATEMENT_COLUMNS.map((c) => [c, String(record[c]).slice(0, MAX_CELL)]));
