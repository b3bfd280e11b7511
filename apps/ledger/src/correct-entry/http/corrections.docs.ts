import { ApiDocs, ApiErrorResponse } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';

/** What every operator route of the ledger shares in the OpenAPI document: its tag and errors (`@Operators` adds the JWT scheme). */
export const OperatorApiDocs = (tag: string) =>
  applyDecorators(
    ApiDocs(tag),
    ApiErrorResponse(
      400,
      'a parameter or the body is invalid (each field named in `details`), or the cursor is not one this list handed out',
    ),
    ApiErrorResponse(401, 'the operator bearer token is missing, expired or not signed by a configured key'),
    ApiErrorResponse(403, 'the token lacks the role the route needs'),
    ApiErrorResponse(500, 'internal error (its text is never sent)'),
  );
