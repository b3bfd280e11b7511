import type { ErrorResponse } from '@mm/contracts';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestError, IngestErrorCode, type FieldError } from '../ingest.errors';

/** The HTTP status of each refusal of the use case. */
export const INGEST_ERROR_STATUS: Record<IngestErrorCode, number> = {
  [IngestErrorCode.InvalidRequest]: 400,
  [IngestErrorCode.Forbidden]: 403,
  [IngestErrorCode.Conflict]: 409,
  [IngestErrorCode.UnsupportedMediaType]: 415,
  [IngestErrorCode.RateLimited]: 429,
  [IngestErrorCode.Unavailable]: 503,
};

/** Every error on the notification API leaves as the BBOXX rejection body `{"status":"REJECTED","Description":…,"errors":[…]}`. */
@Catch()
export class RejectionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RejectionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const url = request.url;
    if (!url.startsWith('/mm/') && exception instanceof HttpException) {
      // Operational routes (/health, /metrics, /docs) keep Nest's own error bodies.
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    let status = 500;
    let body: ErrorResponse;
    if (exception instanceof IngestError) {
      status = INGEST_ERROR_STATUS[exception.code];
      body = { status: 'REJECTED', Description: exception.description, errors: exception.errors };
      if (exception.retryAfterSeconds !== undefined) void reply.header('retry-after', String(exception.retryAfterSeconds));
    } else if (isFastifyError(exception)) {
      // Raised before the route ran (body too large, media type without a parser).
      status = exception.statusCode;
      body = rejectionBody(status, exception.message);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      body = rejectionBody(status, exception.message);
    } else {
      // Log the error class and message only: a driver error can quote parameters (never secrets, but raw input).
      this.logger.error(
        { correlationId: request.id, err: { type: (exception as Error)?.name, message: (exception as Error)?.message } },
        'unexpected error',
      );
      body = rejectionBody(500, 'internal error; the notification was not accepted');
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

function isFastifyError(e: unknown): e is Error & { code: string; statusCode: number } {
  if (!(e instanceof Error)) return false;
  const { code, statusCode } = e as Error & { code?: unknown; statusCode?: unknown };
  return typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600;
}

/** The rejection body for an HTTP-level refusal (raised by Nest or Fastify rather than by the use case). */
export function rejectionBody(status: number, message: string): ErrorResponse {
  const describe = (description: string, error: FieldError = { message: description }): ErrorResponse => ({
    status: 'REJECTED',
    Description: description,
    errors: [error],
  });
  switch (status) {
    case 413:
      return describe('request body is larger than the limit', { field: 'body', message: 'too large' });
    case 415:
      return describe('Content-Type must be application/json', { field: 'Content-Type', message: 'must be application/json' });
    case 404:
      return describe('no such endpoint');
    case 400:
      return describe(`bad request: ${message}`);
    default:
      return describe(status >= 500 ? 'internal error; the notification was not accepted' : message);
  }
}
