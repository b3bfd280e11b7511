import { STATEMENT_MEDIA_TYPES } from '@mm/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Statement bodies (CSV, JSON lines) reach the route as the request stream itself, unread: the route reads them
 * bounded by STATEMENT_MAX_BYTES, not by the service's small JSON body limit, and never holds more than that.
 */
export function acceptStatementBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(Object.values(STATEMENT_MEDIA_TYPES), (_request, payload, done) => done(null, payload));
}
