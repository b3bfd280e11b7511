import type { BboxxAcceptedResponse, PaymentReceivedEvent } from '@mm/contracts';

export interface NewNotification {
  id: string;
  messageId: string;
  providerId: string;
  customerId: string;
  transactionId: string;
  bodySha256: Buffer;
  amountMinor: string;
  currency: string;
  rawBody: Buffer;
  response: BboxxAcceptedResponse;
}

export type AcceptOutcome =
  | { kind: 'accepted'; response: BboxxAcceptedResponse }
  | { kind: 'duplicate'; response: BboxxAcceptedResponse }
  | { kind: 'conflict'; reason: string; field: 'MessageID' | 'transactionId' };

/** Port: stores a notification and its outbox event atomically, or tells why it is a repeat or a conflict. */
export interface NotificationRepository {
  accept(notification: NewNotification, event: PaymentReceivedEvent, key: string): Promise<AcceptOutcome>;
}

export const NOTIFICATION_REPOSITORY = Symbol('NOTIFICATION_REPOSITORY');
