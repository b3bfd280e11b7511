import { type PaymentReceivedEvent, Topics, toKafkaMessage } from '@mm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL } from '../outbox/outbox.constants';
import { classifyRepeat, type StoredNotification } from './classify-repeat';
import type { AcceptOutcome, NewNotification, NotificationRepository } from './notification.repository';

/**
 * One statement, so one round trip and its own transaction: insert the notification (unique on MessageID and on
 * (providerId, transactionId)); only when it is new, insert its outbox row and NOTIFY the relay. A concurrent twin
 * waits on the unique index until the first commits, inserts nothing, then reads the stored row and gets the
 * original answer (or a 409).
 */
const ACCEPT_SQL = `
  with n as (
    insert into notifications
      (id, message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, raw_body, response)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    on conflict do nothing
    returning id
  ), o as (
    insert into outbox (event_id, topic, message_key, payload, headers)
    select $11, $12, $13, $14, $15 from n
    returning id
  )
  select pg_notify($16, '') from o`;

@Injectable()
export class PgNotificationRepository implements NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async accept(n: NewNotification, event: PaymentReceivedEvent, key: string): Promise<AcceptOutcome> {
    const message = toKafkaMessage(event, key);
    const inserted: unknown[] = await this.dataSource.query(ACCEPT_SQL, [
      n.id, n.messageId, n.providerId, n.customerId, n.transactionId, n.bodySha256, n.amountMinor, n.currency, n.rawBody, n.response,
      event.id, Topics.PaymentReceived, key, message.value, message.headers,
      OUTBOX_CHANNEL,
    ]);
    if (inserted.length === 1) return { kind: 'accepted', response: n.response };
    const rows: StoredNotification[] = await this.dataSource.query(
      `select message_id, provider_id, customer_id, transaction_id, body_sha256, amount_minor, currency, response
         from notifications
        where message_id = $1 or (provider_id = $2 and transaction_id = $3)`,
      [n.messageId, n.providerId, n.transactionId],
    );
    return classifyRepeat(n, rows);
  }
}
