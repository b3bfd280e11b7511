import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The media types a statement is uploaded as, and the format each one carries. */
export const STATEMENT_MEDIA_TYPES = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' } as const;

/**
 * Statement uploads reach their route unread: the route streams the body itself, counting bytes, so a statement is
 * bounded by `STATEMENT_MAX_BYTES` rather than by the JSON body limit, and a refused caller's body is never read.
 */
export function acceptStatementUploads(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(Object.keys(STATEMENT_MEDIA_TYPES), (_request, payload, done) => done(null, payload));
}

/** The statement format of a `Content-Type` header (its parameters, e.g. `charset`, ignored), if it is one. */
export function statementFormatOf(contentType: string | undefined): 'csv' | 'ndjson' | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (STATEMENT_MEDIA_TYPES as Record<string, 'csv' | 'ndjson'>)[mediaType];
}
