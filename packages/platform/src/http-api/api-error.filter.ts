import type { ApiError, ApiErrorDetail } from '@mm/contracts';
import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStorageUnavailable } from '../database';

/** Operational routes keep their own bodies (the readiness answer names each check). */
const OPERATIONAL = /^\/(health|metrics|docs)(\/|\?|-json|$)/;

/** Refusals Fastify raises before a route runs, in plain words (its own texts name parser internals). */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
};

/**
 * The one error filter of our HTTP APIs (payment-debit, the ledger): every error leaves as
 * `{statusCode, error, message, details?}` (`ApiErrorSchema`). Throw `HttpException`s whose response may carry
 * `details: [{field, message}]`; Fastify's own refusals (413, 415, malformed JSON) get the same body. The database out of
 * reach is a 503 with `Retry-After` (the transaction did not commit; the caller retries). Anything else is a 500
 * whose text is logged, never sent.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // Kafka handlers have their own filter (RethrowToTransportFilter); should one not, its error goes on unchanged.
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof HttpException && OPERATIONAL.test(request.url)) {
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const body = this.bodyOf(exception, request);
    if (body.statusCode === 503 && !(exception instanceof HttpException)) void reply.header('retry-after', '1');
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private bodyOf(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const fields =
        typeof response === 'object' && response !== null ? (response as { message?: unknown; details?: ApiErrorDetail[] }) : {};
      return apiError(exception.getStatus(), typeof fields.message === 'string' ? fields.message : exception.message, fields.details);
    }
    if (isFastifyError(exception)) return apiError(exception.statusCode, FASTIFY_MESSAGES[exception.code] ?? exception.message);
    if (isStorageUnavailable(exception)) {
      // The class and SQLSTATE only: a driver's message can quote parameters.
      const { name, code } = exception as Error & { code?: unknown };
      this.logger.warn({ correlationId: request.id, err: { type: name, code } }, 'database unavailable: answered 503');
      return apiError(503, 'storage unavailable; retry later');
    }
    this.logger.error({ correlationId: request.id, err: exception }, 'unexpected error in the API');
    return apiError(500, 'internal error');
  }
}

/** The error body for a status: `error` is the status's name (`CONFLICT`, `PAYLOAD_TOO_LARGE`, …). */
export function apiError(statusCode: number, message: string, details?: ApiErrorDetail[]): ApiError {
  const name = statusCode === 500 ? 'INTERNAL' : ((HttpStatus as Record<number, string>)[statusCode] ?? `HTTP_${statusCode}`);
  return { statusCode, error: name, message, ...(details ? { details } : {}) };
}

function isFastifyError(e: unknown): e is Error & { code: string; statusCode: number } {
  if (!(e instanceof Error)) return false;
  const { code, statusCode } = e as Error & { code?: unknown; statusCode?: unknown };
  return typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
