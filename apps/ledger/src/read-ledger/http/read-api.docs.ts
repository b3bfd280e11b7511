import { ApiDocs, ApiErrorResponse } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';

/**
 * What every read-API controller shares in the OpenAPI document: its tag, the API key (as `X-API-Key` or as a bearer
 * token: either one) and the error responses the ApiErrorFilter writes (the shared error body).
 */
export const ReadApiDocs = (tag: string) =>
  applyDecorators(
    ApiDocs(tag, 'apiKey', 'bearer'),
    ApiErrorResponse(400, 'a parameter is invalid (each one named in `details`), or the cursor is not one this list handed out'),
    ApiErrorResponse(401, 'the API key is missing or wrong'),
    ApiErrorResponse(500, 'internal error (its text is never sent)'),
  );
