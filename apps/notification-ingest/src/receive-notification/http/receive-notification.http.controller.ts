import {
  BboxxAcceptedResponseSchema,
  BboxxMessageIdSchema,
  BboxxMessageTimestampSchema,
  BboxxNotificationBodySchema,
  BboxxRouteIdSchema,
  BboxxSmsSupportSchema,
  ErrorResponseSchema,
  type BboxxAcceptedResponse,
} from '@mm/contracts';
import { ApiDocs, ApiZodBody, ApiZodHeader, ApiZodParam, ApiZodResponse } from '@mm/platform';
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IngestError, IngestErrorCode } from '../ingest.errors';
import { parseNotificationHeaders } from './notification-headers';
import { ReceiveNotificationService } from '../receive-notification.service';

/** BBOXX payment notification: `POST /mm/1.0/payments/payment/:providerId/customers/:customerId/payments`. */
@Controller('mm/1.0/payments/payment')
@ApiDocs('notifications', 'bboxxSignature')
export class ReceiveNotificationHttpController {
  constructor(private readonly service: ReceiveNotificationService) {}

  @Post(':providerId/customers/:customerId/payments')
  @HttpCode(200)
  @ApiZodParam('providerId', BboxxRouteIdSchema, 'the originId: part of the signed string')
  @ApiZodParam('customerId', BboxxRouteIdSchema, 'the credential; must equal the CustomerId of Authorization')
  @ApiZodHeader(
    'MessageID',
    BboxxMessageIdSchema,
    'unique per notification; part of the signed string; a repeat is answered as the first time',
    true,
  )
  @ApiZodHeader('MessageTimestamp', BboxxMessageTimestampSchema, 'YYYYMMDDHHmmss, UTC (not signed)', true)
  @ApiZodHeader('SMSSupport', BboxxSmsSupportSchema, 'whether the customer gets an SMS')
  @ApiZodBody(BboxxNotificationBodySchema, "the seed's example and table field sets are both accepted; signed over the raw bytes")
  @ApiZodResponse(200, 'durably stored (a repeat of the same notification gets the first answer again)', BboxxAcceptedResponseSchema)
  @ApiZodResponse(400, 'missing or invalid headers, path or body (`errors` names each field)', ErrorResponseSchema)
  @ApiZodResponse(403, 'unknown credential, bad signature, or provider not allowed for the credential', ErrorResponseSchema)
  @ApiZodResponse(409, 'same MessageID with another body, or same transactionId with another amount', ErrorResponseSchema)
  @ApiZodResponse(413, 'body over the limit', ErrorResponseSchema)
  @ApiZodResponse(415, 'Content-Type is not application/json', ErrorResponseSchema)
  @ApiZodResponse(429, 'the credential is over its rate (see Retry-After)', ErrorResponseSchema)
  @ApiZodResponse(503, 'storage unavailable: nothing was accepted (see Retry-After)', ErrorResponseSchema)
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
