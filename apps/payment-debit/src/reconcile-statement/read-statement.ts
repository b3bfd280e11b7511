import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  BIXI_STATEMENT_COLUMNS,
  BixiStatementLineSchema,
  isJsonDecimal,
  parseJsonExact,
  toStatementEntry,
  type BixiStatementColumn,
} from '@mm/contracts';
import { CsvError, parse } from 'csv-parse';
import { StatementError, type ParsedStatement, type StatementLine } from './statement';

export type StatementFormat = 'csv' | 'jsonl';

/** The longest line accepted (a real line is some 300 bytes): a hostile "line" is refused before it is held. */
const MAX_LINE_BYTES = 16 * 1024;

/**
 * Reads a statement as it arrives: at most `maxBytes` (then `too_large` at once, the rest unread), hashing the bytes
 * and parsing line by line. The whole statement is refused at its first bad line, naming the line and the field.
 * The source is never destroyed: what is left of it after a refusal is drained, so the HTTP layer can still answer.
 */
export async function readStatement(source: Readable, format: StatementFormat, maxBytes: number): Promise<ParsedStatement> {
  const hash = createHash('sha256');
  let bytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) return callback(new StatementError('too_large', `the statement is larger than ${maxBytes} bytes`));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const csv = format === 'csv';
  const parser = csv ? parse({ bom: true, info: true, skip_empty_lines: true, max_record_size: MAX_LINE_BYTES }) : jsonLines();
  source.on('error', (error) => parser.destroy(error));
  limiter.on('error', (error) => {
    discardRest(source, limiter);
    parser.destroy(error);
  });
  source.pipe(limiter).pipe(parser);
  const lines: StatementLine[] = [];
  let header = csv;
  try {
    for await (const item of parser as AsyncIterable<CsvItem | JsonItem>) {
      if ('values' in item) {
        lines.push(toLine(item.lineNo, item.values));
      } else if (header) {
        checkHeader(item.record, item.info.lines);
        header = false;
      } else {
        const values: Record<string, string> = {};
        BIXI_STATEMENT_COLUMNS.forEach((name: BixiStatementColumn, i) => (values[name] = item.record[i] ?? ''));
        lines.push(toLine(item.info.lines, values));
      }
    }
  } catch (error) {
    discardRest(source, limiter);
    if (error instanceof StatementError) throw error;
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new StatementError('malformed', `not valid CSV (${error.code})`, line);
    }
    throw error;
  }
  if (header) throw new StatementError('wrong_columns', `the statement has no header line (${BIXI_STATEMENT_COLUMNS.join(',')})`, 1);
  return { sha256: hash.digest(), lines };
}

/** Stops parsing but lets the rest of the body drain unread, so the connection can still carry the answer. */
function discardRest(source: Readable, limiter: Transform): void {
  source.unpipe(limiter);
  source.resume();
}

interface CsvItem {
  info: { lines: number };
  record: string[];
}
interface JsonItem {
  lineNo: number;
  values: Record<string, unknown>;
}

/** CSV: the header must be exactly the statement's columns, in order. */
function checkHeader(record: string[], lineNo: number): void {
  const got = record.map((c) => c.trim()).join(',');
  const want = BIXI_STATEMENT_COLUMNS.join(',');
  if (got !== want) {
    const differs = BIXI_STATEMENT_COLUMNS.findIndex((name, i) => record[i]?.trim() !== name);
    const at = differs < 0 ? BIXI_STATEMENT_COLUMNS.length : differs;
    throw new StatementError(
      'wrong_columns',
      `the header must be ${want}`,
      lineNo,
      `column ${at + 1} (${BIXI_STATEMENT_COLUMNS[at] ?? 'extra'})`,
    );
  }
}

function toLine(lineNo: number, values: Record<string, unknown>): StatementLine {
  const parsed = BixiStatementLineSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : issue.path.map(String).join('.') || 'line';
    throw new StatementError(issue.code === 'unrecognized_keys' ? 'wrong_columns' : 'malformed', issue.message, lineNo, field);
  }
  const entry = toStatementEntry(parsed.data);
  if ('field' in entry) throw new StatementError('malformed', entry.message, lineNo, entry.field);
  const columns: Record<string, string> = {};
  for (const name of BIXI_STATEMENT_COLUMNS) columns[name] = String(parsed.data[name]);
  return { ...entry, lineNo, columns };
}

/** JSON lines: one object per line, its numbers kept as their exact text. */
function jsonLines(): Transform {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  let lineNo = 0;
  const emit = (stream: Transform, text: string) => {
    lineNo += 1;
    const line = text.replace(/\r$/, '');
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch {
      throw new StatementError('malformed', 'not a JSON object', lineNo);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || isJsonDecimal(value))
      throw new StatementError('malformed', 'not a JSON object', lineNo);
    stream.push({ lineNo, values: value });
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        buffered += decoder.write(chunk);
        let at: number;
        while ((at = buffered.indexOf('\n')) >= 0) {
          emit(this, buffered.slice(0, at));
          buffered = buffered.slice(at + 1);
        }
        if (Buffer.byteLength(buffered) > MAX_LINE_BYTES) throw new StatementError('malformed', 'the line is too long', lineNo + 1);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        emit(this, buffered + decoder.end());
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
