import { z } from 'zod';
import { JsonDecimalSchema } from '../json-exact';
import { AmountParseError, CurrencySchema, toMinorUnits } from '../money';
import { safeText } from '../text';
import { BreakTypeSchema } from './breaks';

/**
 * A provider's settlement statement (SPEC §9): one line per payment the provider collected for us. Uploaded to the
 * ledger as CSV (this header, in this order) or as NDJSON (one object per line, these members). `amount` is decimal
 * text in the currency's units (`200.00 RWF` is refused as too precise, never rounded); `time` is ISO-8601 with an
 * offset. A line is keyed by (providerId, transactionId).
 */
export const PROVIDER_STATEMENT_COLUMNS = ['providerId', 'transactionId', 'amount', 'currency', 'msisdn', 'time'] as const;
export type ProviderStatementColumn = (typeof PROVIDER_STATEMENT_COLUMNS)[number];
export const PROVIDER_STATEMENT_CSV_HEADER = PROVIDER_STATEMENT_COLUMNS.join(',');

/** One line as written (the CSV's cells, or an NDJSON object whose `amount` may be a JSON number kept exact). */
export const ProviderStatementLineInputSchema = z
  .object({
    providerId: safeText(1, 64),
    transactionId: safeText(1, 128),
    amount: z.union([z.string().max(40), JsonDecimalSchema]),
    currency: CurrencySchema,
    msisdn: z.string().regex(/^\+?[0-9]{6,15}$/, 'must be 6-15 digits, optionally after +'),
    time: z.iso.datetime({ offset: true }),
  })
  .strict();

/** One line as stored and matched: the amount in integer minor units beside its currency. */
export const ProviderStatementLineSchema = ProviderStatementLineInputSchema.transform((line, ctx) => {
  try {
    return { ...line, amount: toMinorUnits(line.amount, line.currency) };
  } catch (error) {
    if (!(error instanceof AmountParseError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['amount'], message: error.message });
    return z.NEVER;
  }
});
export type ProviderStatementLine = z.output<typeof ProviderStatementLineSchema>;

/**
 * `POST /v1/statements/provider`: what an import found. Importing the same file again answers the same body and
 * stores nothing new (the statement is known by the SHA-256 of its bytes).
 */
export const ProviderStatementImportSchema = z.object({
  statementId: z.uuid(),
  contentHash: z.string().describe('SHA-256 of the uploaded bytes, hex'),
  format: z.enum(['csv', 'ndjson']),
  lines: z.number().int().nonnegative(),
  providers: z.array(z.string()),
  days: z.array(z.string()).describe('the UTC days the lines fall on: payments of these days are expected on the statement'),
  breaks: z.array(z.object({ type: BreakTypeSchema, count: z.number().int().positive() })),
  importedBy: z.string(),
  importedAt: z.iso.datetime({ offset: true }),
});
export type ProviderStatementImport = z.infer<typeof ProviderStatementImportSchema>;
