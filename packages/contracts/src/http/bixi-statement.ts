import { z } from 'zod';
import { isJsonDecimal } from '../json-exact';
import { AmountParseError, CurrencySchema, toMinorUnits, type Currency, type Money } from '../money';
import { BreakTypeSchema } from './breaks';

/**
 * A Bixi statement (SPEC §9): one line per Bixi transaction, with the attributes of the seed's transaction object.
 * Imported as CSV (this header, in this order) or as JSON lines (one object per line, these members). Amounts are
 * the seed's decimal text (`1`, `0.97`), read exactly into minor units, never through a float.
 */
export const BIXI_STATEMENT_COLUMNS = [
  'id',
  'receiptId',
  'referenceId',
  'accountNumber',
  'accountType',
  'issuer',
  'status',
  'currency',
  'issuerTransactionId',
  'amount',
  'charges',
  'total',
  'created',
] as const;
export type BixiStatementColumn = (typeof BIXI_STATEMENT_COLUMNS)[number];

/** The CSV header line of a Bixi statement. */
export const BIXI_STATEMENT_CSV_HEADER = BIXI_STATEMENT_COLUMNS.join(',');

/** Media types of `POST /v1/statements/bixi`. */
export const STATEMENT_MEDIA_TYPES = { csv: 'text/csv', jsonl: 'application/x-ndjson' } as const;

const text = (max: number) => z.string().trim().min(1).max(max);
/** A decimal as text: a CSV cell, a JSON string, or a JSON number kept as its exact text. */
const decimalText = z.preprocess(
  (v) => (isJsonDecimal(v) ? v.toString() : v),
  z.string().regex(/^[0-9]{1,18}(\.[0-9]{1,18})?$/, 'must be a plain decimal such as 0.97'),
);

/** A statement line as written: every attribute as text (amounts as decimal text). */
export const BixiStatementLineSchema = z
  .object({
    id: text(128),
    receiptId: text(64),
    referenceId: z.string().trim().max(128),
    accountNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{4,64}$/, 'must be 4–64 letters and digits'),
    accountType: text(32),
    issuer: z.string().trim().max(64),
    status: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z_]{1,32}$/, 'must be a status word such as approved'),
    currency: CurrencySchema,
    issuerTransactionId: z.string().trim().max(128),
    amount: decimalText,
    charges: decimalText,
    total: decimalText,
    created: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2024-09-01T00:00:00.000000Z' }),
  })
  .strict();
export type BixiStatementLine = z.infer<typeof BixiStatementLineSchema>;

/** A line with its money in minor units of its currency. */
export interface BixiStatementEntry extends Omit<BixiStatementLine, 'amount' | 'charges' | 'total'> {
  amount: Money;
  charges: Money;
  total: Money;
}

/** A non-negative amount (charges may be zero) in minor units; throws AmountParseError. */
function nonNegativeMinor(value: string, currency: Currency): Money {
  return /^0+(\.0+)?$/.test(value) ? { amountMinor: '0', currency } : toMinorUnits(value, currency);
}

/** Parses one line's money exactly; the error names the member that failed. */
export function toStatementEntry(line: BixiStatementLine): BixiStatementEntry | { field: BixiStatementColumn; message: string } {
  const out: Partial<Record<'amount' | 'charges' | 'total', Money>> = {};
  for (const field of ['amount', 'charges', 'total'] as const) {
    try {
      out[field] = field === 'amount' ? toMinorUnits(line[field], line.currency) : nonNegativeMinor(line[field], line.currency);
    } catch (error) {
      return { field, message: error instanceof AmountParseError ? error.message : 'not an amount' };
    }
  }
  return { ...line, amount: out.amount!, charges: out.charges!, total: out.total! };
}

/** The answer of an import; a repeat of the same file gets the same answer (flagged `Idempotent-Replayed: true`) and stores nothing. */
export const StatementImportResultSchema = z.object({
  statementId: z.string(),
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  linesRead: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative().describe('lines new to us'),
  alreadyKnown: z.number().int().nonnegative().describe('lines an earlier statement already brought (matched then)'),
  resolved: z.number().int().nonnegative().describe('UNKNOWN debits settled by a line'),
  breaks: z.array(z.object({ type: BreakTypeSchema, count: z.number().int().nonnegative() })),
});
export type StatementImportResult = z.infer<typeof StatementImportResultSchema>;
