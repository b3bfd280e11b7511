import { BreakPageSchema, BreakStatusSchema, BreakSummarySchema, BreakTypeSchema, BreakViewSchema, CloseBreakSchema } from '@mm/contracts';
import { ApiDocs, ApiErrorResponse, ApiZodBody, ApiZodParam, ApiZodQuery, ApiZodResponse, pageFields } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

export const BreakId = z.uuid();
const filterFields = { type: BreakTypeSchema.optional(), status: BreakStatusSchema.optional(), statementId: z.uuid().optional() };
export const ListQuery = z.object({ ...filterFields, ...pageFields }).strict();
export const ExportQuery = z.object(filterFields).strict();

export const BreaksDocs = () =>
  applyDecorators(
    ApiDocs('breaks'),
    ApiErrorResponse(401, 'no valid operator token'),
    ApiErrorResponse(403, 'the token lacks a role the route allows'),
    ApiErrorResponse(500, 'internal error (its text is never sent)'),
  );

export const ListDocs = () =>
  applyDecorators(
    ApiZodQuery(ListQuery),
    ApiZodResponse(200, 'a page of breaks, newest first, each with the rows of both sides (viewer, maker or checker)', BreakPageSchema),
    ApiErrorResponse(400, 'a parameter is invalid (each one named in `details`), or the cursor is not one this list handed out'),
  );

export const ExportDocs = () =>
  applyDecorators(
    ApiZodQuery(ExportQuery),
    ApiResponse({
      status: 200,
      description:
        "every break the filters select, newest first, as CSV; a cell a spreadsheet would read as a formula is prefixed with `'`",
      content: { 'text/csv': { schema: { type: 'string' } } },
    }),
    ApiErrorResponse(400, 'a parameter is invalid'),
  );

export const SummaryDocs = () => ApiZodResponse(200, 'open breaks counted by type', BreakSummarySchema);

export const CloseDocs = () =>
  applyDecorators(
    ApiZodParam('breakId', BreakId),
    ApiZodBody(CloseBreakSchema, 'why the break needs nothing more (maker or checker); audited'),
    ApiZodResponse(200, 'the break, closed', BreakViewSchema),
    ApiErrorResponse(400, 'breakId is not a UUID, or the reason is missing, too short or too long'),
    ApiErrorResponse(404, 'no such break'),
    ApiErrorResponse(409, 'the break is already closed'),
  );
