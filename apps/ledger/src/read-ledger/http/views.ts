import type { EventRow, PostingRow } from '../payments.read';

/** JSON shapes of the read API (money stays integer minor units as strings, next to its currency). */
export const postingView = (p: PostingRow) => ({
  postingId: p.id,
  entryId: p.entry_id,
  eventId: p.event_id,
  accountId: p.account_id,
  currency: p.currency,
  amountMinor: p.amount_minor,
  bookedAt: p.booked_at.toISOString(),
});

export const eventView = (e: EventRow) => ({
  id: e.id,
  type: e.type,
  subject: e.subject,
  time: e.time.toISOString(),
  source: { topic: e.topic, partition: e.kafka_partition, offset: e.kafka_offset },
  storedAt: e.received_at.toISOString(),
  envelope: e.envelope,
});

export const paymentView = (e: EventRow) => {
  const d = e.envelope.data;
  return {
    paymentId: d.paymentId,
    eventId: e.id,
    providerId: d.providerId,
    customerId: d.customerId,
    transactionId: d.transactionId,
    operator: d.operator ?? null,
    amount: d.amount,
    time: e.time.toISOString(),
    storedAt: e.received_at.toISOString(),
  };
};

export const timeKeyOf = (e: EventRow) => ({ time: e.time_key, id: e.id });
