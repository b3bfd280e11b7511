import { ApiDocs, ApiZodParam, ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { z } from 'zod';

/** OpenAPI of the sandbox-only statement export. */
export const StatementDocs = () =>
  applyDecorators(
    ApiDocs('sandbox only', 'bearer'),
    ApiOperation({
      summary: 'SANDBOX ONLY: the statement of one UTC day',
      description:
        'Not a Bixi API: the sandbox lists every transaction it created on the day (including those whose answer it ' +
        'withheld: the timeout and drop accounts debited them), as CSV with the header line or as JSON lines, in the ' +
        'attributes of the seed transaction object. Only the most recent SANDBOX_STATEMENT_LIMIT transactions are kept; ' +
        'the X-Sandbox-Transactions-Forgotten header counts those dropped.',
    }),
    ApiProduces('application/x-ndjson', 'text/csv'),
    ApiZodParam('date', z.string().regex(/^\d{4}-\d{2}-\d{2}$/), 'the UTC day, YYYY-MM-DD'),
    ApiZodQuery(z.object({ format: z.enum(['csv', 'jsonl']).default('jsonl') })),
    ApiZodResponse(200, 'the statement: JSON lines (default) or CSV'),
    ApiZodResponse(400, 'the date or the format is invalid'),
    ApiZodResponse(401, 'the Bearer token is missing or wrong'),
  );
