import type { BboxxAcceptedResponse } from '@mm/contracts';
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IngestError, IngestErrorCode } from './ingest.errors';
import { parseNotificationHeaders } from './notification-headers';
import { ReceiveNotificationService } from './receive-notification.service';

/** BBOXX payment notification: `POST /mm/1.0/payments/payment/:providerId/customers/:customerId/payments`. */
@Controller('mm/1.0/payments/payment')
export class ReceiveNotificationHttpController {
  constructor(private readonly service: ReceiveNotificationService) {}

  @Post(':providerId/customers/:customerId/payments')
  @HttpCode(200)
  async receive(
    @Param('providerId') providerId: string,
    @Param('customerId') customerId: string,
    @Req() req: FastifyRequest & { rawBody?: Buffer },
  ): Promise<BboxxAcceptedResponse> {
    const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      throw new IngestError(IngestErrorCode.UnsupportedMediaType, 'Content-Type must be application/json', [
        { field: 'Content-Type', message: 'must be application/json' },
      ]);
    }
    if (!req.rawBody || req.rawBody.length === 0) {
      throw new IngestError(IngestErrorCode.InvalidRequest, 'a JSON body is required', [{ field: 'body', message: 'required' }]);
    }
    const headers = parseNotificationHeaders(req.headers, req.raw.rawHeaders);
    const { response } = await this.service.receive({
      route: { providerId, customerId },
      headers,
      rawBody: req.rawBody,
      correlationId: String(req.id),
    });
    return response;
  }
}
