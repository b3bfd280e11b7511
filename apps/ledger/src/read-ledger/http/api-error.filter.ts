import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { LedgerApiError } from '@mm/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The body every read-API error leaves with (its schema, `LedgerApiErrorSchema`, is in contracts and in /docs). */
export type ApiErrorBody = LedgerApiError;

const NAMES: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 503: 'UNAVAILABLE' };

/** Every error of the read API leaves as `{statusCode, error, message, details?}`; internal errors never leak their text. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body: ApiErrorBody;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const details = typeof response === 'object' && response !== null && 'details' in response ? (response as { details: ApiErrorBody['details'] }).details : undefined;
      const message = typeof response === 'object' && response !== null && 'message' in response && typeof response.message === 'string' ? response.message : exception.message;
      body = { statusCode: status, error: NAMES[status] ?? `HTTP_${status}`, message, ...(details ? { details } : {}) };
    } else {
      const correlationId = host.switchToHttp().getRequest<FastifyRequest>().id;
      this.logger.error({ correlationId, err: exception }, 'unexpected error in the read API');
      body = { statusCode: 500, error: 'INTERNAL', message: 'internal error' };
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
