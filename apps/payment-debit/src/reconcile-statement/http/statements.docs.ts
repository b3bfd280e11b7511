import { BIXI_STATEMENT_CSV_HEADER, BixiStatementLineSchema, StatementImportResultSchema } from '@mm/contracts';
import { ApiDocs, ApiErrorResponse, ApiZodResponse, openApiSchema } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery } from '@nestjs/swagger';

/** The statements controller: its tag and the refusals every route shares. */
export const StatementsDocs = () =>
  applyDecorators(
    ApiDocs('statements'),
    ApiErrorResponse(401, 'no valid operator token'),
    ApiErrorResponse(403, 'the token lacks the role (maker)'),
    ApiErrorResponse(500, 'internal error (its text is never sent)'),
  );

export const ImportBixiDocs = () =>
  applyDecorators(
    ApiConsumes('text/csv', 'application/x-ndjson'),
    ApiQuery({
      name: 'period',
      required: false,
      description:
        'YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD (UTC days, at most 31): the statement declares itself complete for these days. ' +
        'Every line must then be created in them, and an UNKNOWN debit whose matching window lies inside them and whose ' +
        'receiptId is on no statement line is resolved NOT_DEBITED from it.',
      schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(\\.\\.\\d{4}-\\d{2}-\\d{2})?$' },
    }),
    ApiBody({
      required: true,
      description:
        `CSV with the header \`${BIXI_STATEMENT_CSV_HEADER}\`, or JSON lines (one object per line with these members). ` +
        'Amounts are decimal text (or exact JSON numbers) in the line currency. Read as a stream, at most STATEMENT_MAX_BYTES.',
      schema: openApiSchema(BixiStatementLineSchema, 'input'),
    }),
    ApiZodResponse(
      200,
      'stored and matched: lines read, stored, already known, UNKNOWN debits resolved, new breaks by type; the same file again ' +
        'gets the same answer with `Idempotent-Replayed: true` and changes nothing',
      StatementImportResultSchema,
    ),
    ApiErrorResponse(
      400,
      'a line is malformed, the columns are wrong, the period is invalid or a line lies outside it (`details` names the line and field, or `period`); nothing is stored',
    ),
    ApiErrorResponse(413, 'the statement is larger than STATEMENT_MAX_BYTES'),
    ApiErrorResponse(415, 'the body is neither text/csv nor application/x-ndjson'),
  );
