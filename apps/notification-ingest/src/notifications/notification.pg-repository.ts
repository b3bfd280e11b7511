import { type BboxxAcceptedResponse, type PaymentReceivedEvent, Topics, toKafkaMessage } from '@mm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL } from '../outbox/outbox.constants';
import type { AcceptOutcome, NewNotification, NotificationRepository } from './notification.repository';

interface ExistingRow {
  message_id: string;
  provider_id: string;
  customer_id: string;
  transaction_id: string;
  body_sha256: Buffer;
  response: BboxxAcceptedResponse;
}

/**
 * One short transaction: insert the notification (unique on MessageID and on (providerId, transactionId));
 * when it is new, insert its outbox row and NOTIFY the relay. A concurrent twin blocks on the unique index
 * until the first commits, then sees the stored row and gets the original answer.
 */
@Injectable()
export class PgNotificationRepository implements NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async accept(n: NewNotification, event: PaymentReceivedEvent, key: string): Promise<AcceptOutcome> {
    const message = toKafkaMessage(event, key);
    return this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `insert into notifications
           (id, message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, raw_body, response)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict do nothing
         returning id`,
        [n.id, n.messageId, n.providerId, n.customerId, n.transactionId, n.bodySha256, n.amountMinor, n.currency, n.rawBody, n.response],
      );
      if (inserted.length === 1) {
        await tx.query(
          `insert into outbox (event_id, topic, message_key, payload, headers) values ($1, $2, $3, $4, $5)`,
          [event.id, Topics.PaymentReceived, key, message.value, message.headers],
        );
        await tx.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
        return { kind: 'accepted', response: n.response };
      }
      const rows: ExistingRow[] = await tx.query(
        `select message_id, provider_id, customer_id, transaction_id, body_sha256, response from notifications
          where message_id = $1 or (provider_id = $2 and transaction_id = $3)`,
        [n.messageId, n.providerId, n.transactionId],
      );
      return classifyRepeat(n, rows);
    });
  }
}

/** A repeat with identical bytes (and route) gets the first answer again; anything else is a conflict. */
export function classifyRepeat(n: NewNotification, rows: ExistingRow[]): AcceptOutcome {
  const byMessage = rows.find((r) => r.message_id === n.messageId);
  const same = (r: ExistingRow) =>
    r.body_sha256.equals(n.bodySha256) && r.provider_id === n.providerId && r.customer_id === n.customerId;
  if (byMessage) {
    return same(byMessage)
      ? { kind: 'duplicate', response: byMessage.response }
      : { kind: 'conflict', field: 'MessageID', reason: 'MessageID was already used for a different notification' };
  }
  const byTransaction = rows.find((r) => r.provider_id === n.providerId && r.transaction_id === n.transactionId);
  if (byTransaction) {
    return same(byTransaction)
      ? { kind: 'duplicate', response: byTransaction.response }
      : { kind: 'conflict', field: 'transactionId', reason: 'transactionId was already notified with different content' };
  }
  // The conflicting row vanished between insert and select: only possible if rows are deleted, which they never are.
  throw new Error('notification conflicted on insert but no conflicting row was found');
}
