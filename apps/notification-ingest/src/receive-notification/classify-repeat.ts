import type { BboxxAcceptedResponse } from '@mm/contracts';
import type { AcceptOutcome, NewNotification } from './notification.repository';

export interface StoredNotification {
  message_id: string;
  provider_id: string;
  customer_id: string;
  transaction_id: string;
  body_sha256: Buffer;
  amount_minor: string;
  currency: string;
  response: BboxxAcceptedResponse;
}

/**
 * Decides what a notification that clashed with a stored one is.
 * - Same MessageID from the same customer (MessageID is unique per credential): a replay only if the bytes and the
 *   route are identical; otherwise a conflict.
 * - Same (providerId, transactionId) under another MessageID: the provider re-sent the same payment (perhaps
 *   re-serialised); a repeat if customer, amount and currency agree, otherwise a conflict. The money cannot differ.
 */
export function classifyRepeat(n: NewNotification, rows: readonly StoredNotification[]): AcceptOutcome {
  const byMessage = rows.find((r) => r.message_id === n.messageId && r.customer_id === n.customerId);
  if (byMessage) {
    const same = byMessage.body_sha256.equals(n.bodySha256) && byMessage.provider_id === n.providerId;
    return same
      ? { kind: 'duplicate', response: byMessage.response }
      : { kind: 'conflict', field: 'MessageID', reason: 'MessageID was already used for a different notification' };
  }
  const byTransaction = rows.find((r) => r.provider_id === n.providerId && r.transaction_id === n.transactionId);
  if (byTransaction) {
    const same =
      byTransaction.customer_id === n.customerId &&
      byTransaction.amount_minor === n.amountMinor &&
      byTransaction.currency.trim() === n.currency;
    return same
      ? { kind: 'duplicate', response: byTransaction.response }
      : {
          kind: 'conflict',
          field: 'transactionId',
          reason: 'transactionId was already notified with a different amount, currency or customer',
        };
  }
  // The clashing row vanished between insert and select: notifications are never deleted, so this is a fault.
  throw new Error('notification conflicted on insert but no conflicting row was found');
}
