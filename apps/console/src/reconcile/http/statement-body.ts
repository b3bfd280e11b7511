import { STATEMENT_MEDIA_TYPES } from '@mm/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Statement bodies (CSV, JSON lines) reach the route as the request stream itself, unread (not through the console's
 * small JSON body limit): the route streams them through to the service, bounded by CONSOLE_STATEMENT_MAX_BYTES.
 */
export function acceptStatementBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(Object.values(STATEMENT_MEDIA_TYPES), (_request, payload, done) => done(null, payload));
}

/** The statement media type of a Content-Type header, or undefined. */
export const statementMediaType = (contentType: string | undefined): string | undefined => {
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  return Object.values(STATEMENT_MEDIA_TYPES).find((m) => m === media);
};
