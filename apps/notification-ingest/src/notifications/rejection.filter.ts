import type { ErrorResponse } from '@mm/contracts';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestMetrics } from '../ingest.metrics';
import { IngestError } from './ingest.errors';

/** Every error leaves as the BBOXX rejection body `{"status":"REJECTED","Description":…,"errors":[…]}`. */
@Catch()
export class RejectionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RejectionFilter');

  constructor(private readonly metrics: IngestMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const url = host.switchToHttp().getRequest<FastifyRequest>().url;
    if (!url.startsWith('/mm/') && exception instanceof HttpException) {
      // Operational routes (/health, /metrics, /docs) keep Nest's own error bodies.
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    let status = 500;
    let body: ErrorResponse;
    if (exception instanceof IngestError) {
      status = exception.status;
      body = { status: 'REJECTED', Description: exception.description, errors: exception.errors };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const message = describeHttpStatus(status, exception.message);
      body = { status: 'REJECTED', Description: message, errors: [{ message }] };
    } else {
      this.logger.error({ err: exception }, 'unexpected error while handling a notification');
      body = { status: 'REJECTED', Description: 'internal error; the notification was not accepted', errors: [{ message: 'internal error' }] };
    }
    this.metrics.rejected.inc({ status: String(status) });
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

function describeHttpStatus(status: number, message: string): string {
  switch (status) {
    case 413:
      return 'request body is larger than the limit';
    case 415:
      return 'Content-Type must be application/json';
    case 404:
      return 'no such endpoint';
    default:
      return message;
  }
}
