import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import {
  BBOXX_ROUTE_ID as ROUTE_ID,
  createEnvelope,
  PAYMENT_RECEIVED,
  uuidv7,
  type BboxxAcceptedResponse,
  type PaymentReceivedEvent,
} from '@mm/contracts';
import { QueueFullError } from '@mm/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CredentialStore } from '../credentials/credential-store';
import { parseAuthorization, verifySignature } from '../credentials/signature';
import { IngestMetrics } from '../ingest.metrics';
import { TokenBucketRateLimiter } from '../rate-limit/token-bucket.rate-limiter';
import { IngestError, IngestErrorCode } from './ingest.errors';
import { normaliseNotification, type NotificationRoute, type ParsedHeaders } from './normalise-notification';
import { parseJsonBody } from './parse-json-body';
import { NOTIFICATION_REPOSITORY, type NotificationRepository } from './notification.repository';

export const ACCEPTED_DESCRIPTION = 'Dear Customer the payment was accepted.';
/** Checked against for a customer id that has no credential, so that case costs the same HMAC as a wrong secret. */
const NO_CREDENTIAL_SECRETS = [createSecretKey(randomBytes(32))];

export interface ReceivedNotification {
  route: NotificationRoute;
  headers: ParsedHeaders;
  rawBody: Buffer;
  correlationId: string;
}

/** The use case: authenticate, validate, store durably with its outbox event, answer. */
@Injectable()
export class ReceiveNotificationService {
  private readonly logger = new Logger('ReceiveNotification');

  constructor(
    private readonly credentials: CredentialStore,
    @Inject(NOTIFICATION_REPOSITORY) private readonly repository: NotificationRepository,
    private readonly metrics: IngestMetrics,
    private readonly rateLimiter: TokenBucketRateLimiter,
  ) {}

  async receive(input: ReceivedNotification): Promise<{ response: BboxxAcceptedResponse; duplicate: boolean }> {
    const { route, headers, rawBody } = input;
    this.authenticate(input);
    // After authentication, so strangers cannot spend a customer's allowance.
    const decision = this.rateLimiter.take(route.customerId);
    if (!decision.allowed) {
      this.metrics.rateLimited.inc();
      throw new IngestError(
        IngestErrorCode.RateLimited,
        'too many notifications; retry later',
        [{ message: 'rate limit exceeded' }],
        decision.retryAfterSeconds,
      );
    }
    const payment = normaliseNotification(parseJsonBody(rawBody), route, headers);
    const paymentId = uuidv7();
    const event: PaymentReceivedEvent = createEnvelope({
      type: PAYMENT_RECEIVED,
      source: `/mm/notification-ingest/providers/${route.providerId}`,
      subject: paymentId,
      correlationId: input.correlationId,
      data: { paymentId, ...payment, receivedAt: new Date().toISOString() },
    });
    const response: BboxxAcceptedResponse = { providerTransactionId: paymentId, status: 'ACCEPTED', Description: ACCEPTED_DESCRIPTION };
    let outcome;
    try {
      outcome = await this.repository.accept(
        {
          id: paymentId,
          messageId: headers.messageId,
          providerId: route.providerId,
          customerId: route.customerId,
          transactionId: payment.transactionId,
          bodySha256: createHash('sha256').update(rawBody).digest(),
          amountMinor: payment.amount.amountMinor,
          currency: payment.amount.currency,
          rawBody,
          response,
        },
        event,
        payment.subscriberMsisdn ?? payment.accountNumber ?? `${route.providerId}:${payment.transactionId}`,
      );
    } catch (error) {
      // Never ACCEPTED without storage: the provider retries, and de-duplication makes the retry safe.
      throw this.unavailable(error, input.correlationId);
    }
    if (outcome.kind === 'conflict') {
      this.metrics.conflicts.inc({ field: outcome.field });
      throw new IngestError(IngestErrorCode.Conflict, outcome.reason, [{ field: outcome.field, message: outcome.reason }]);
    }
    if (outcome.kind === 'duplicate') this.metrics.duplicates.inc();
    else this.metrics.accepted.inc({ currency: payment.amount.currency });
    return { response: outcome.response, duplicate: outcome.kind === 'duplicate' };
  }

  /** The Unavailable refusal for a notification that was not stored, logged with its cause (never the request's headers or body). */
  private unavailable(cause: unknown, correlationId: string): IngestError {
    const overloaded = cause instanceof QueueFullError;
    this.metrics.unavailable.inc({ cause: overloaded ? 'queue_full' : 'storage' });
    // The class and message only: a driver error can quote parameters (raw input, never secrets).
    const err = cause instanceof Error ? { type: cause.name, message: cause.message } : { type: typeof cause };
    this.logger.warn(
      { correlationId, err },
      overloaded ? 'notification refused (503): write queue full' : 'notification refused (503): storage unavailable',
    );
    return overloaded
      ? new IngestError(
          IngestErrorCode.Unavailable,
          'too many notifications waiting to be stored; retry later',
          [{ message: 'write queue full' }],
          1,
        )
      : new IngestError(
          IngestErrorCode.Unavailable,
          'the notification could not be stored; retry later',
          [{ message: 'storage unavailable' }],
          1,
        );
  }

  private authenticate({ route, headers, rawBody }: ReceivedNotification): void {
    const forbidden = (reason: string) => {
      this.metrics.signatureFailures.inc({ reason });
      return new IngestError(IngestErrorCode.Forbidden, 'authentication failed');
    };
    if (!ROUTE_ID.test(route.providerId) || !ROUTE_ID.test(route.customerId)) {
      throw new IngestError(IngestErrorCode.InvalidRequest, 'invalid path', [
        { field: 'path', message: 'providerId and customerId must be 1-64 of [A-Za-z0-9_-]' },
      ]);
    }
    const auth = parseAuthorization(headers.authorization);
    if (!auth) throw forbidden('malformed');
    if (auth.customerId !== route.customerId) throw forbidden('customer_mismatch');
    // An unknown customer id is answered, counted and timed like a wrong signature: nothing tells which ids exist.
    const credential = this.credentials.find(route.customerId);
    const signed = verifySignature(
      credential?.secrets ?? NO_CREDENTIAL_SECRETS,
      auth.mac,
      rawBody,
      headers.messageId,
      route.providerId,
      route.customerId,
    );
    if (!credential || !signed) throw forbidden('bad_signature');
    if (!credential.providerIds.has(route.providerId)) throw forbidden('provider_not_allowed');
  }
}
