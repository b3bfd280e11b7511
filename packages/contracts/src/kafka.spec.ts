import { createEnvelope } from './envelope';
import { DEBIT_REQUESTED } from './events/debit';
import { PAYMENT_RECEIVED, type PaymentReceived } from './events/payment-received';
import { MAX_EVENT_BYTES, parseEvent, toKafkaMessage } from './kafka';
import { TopicNamespace, Topics } from './topics';
import { uuidv7, UUID_PATTERN } from './uuid';

const payment = (): PaymentReceived => ({
  paymentId: uuidv7(),
  providerId: '200',
  customerId: '12000',
  messageId: 'm-1',
  transactionId: '123647',
  amount: { amountMinor: '200', currency: 'RWF' },
  subscriberMsisdn: '+250786474859',
  smsSupport: true,
  receivedAt: new Date().toISOString(),
});

const event = () => createEnvelope({ type: PAYMENT_RECEIVED, source: '/test', subject: 's-1', correlationId: 'c-1', data: payment() });

const debitCommand = (amount: { amountMinor: string; currency: string }) =>
  createEnvelope({
    type: DEBIT_REQUESTED,
    source: '/test',
    subject: 's-2',
    correlationId: 'c-2',
    data: {
      commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      accountNumber: '252600000000',
      accountType: 'mmt',
      amount,
      receiptId: 'INV1',
      description: 'test',
    },
  });

describe('Kafka codec', () => {
  it('round-trips an event with CloudEvents headers', () => {
    const e = event();
    const message = toKafkaMessage(e, '+250786474859');
    expect(message.headers).toMatchObject({ ce_type: PAYMENT_RECEIVED, ce_id: e.id });
    const parsed = parseEvent(Buffer.from(message.value as string));
    expect(parsed).toEqual({ ok: true, event: e });
  });

  it('ids are UUIDv7 and time-ordered', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(UUID_PATTERN);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
  });

  it('ids drawn across several refills of the random pool are all distinct and well-formed', () => {
    const now = 1_700_000_000_000;
    const ids = Array.from({ length: 2000 }, () => uuidv7(now)); // same millisecond: only the random bits differ
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(UUID_PATTERN);
    expect(new Set(ids.map((id) => id.slice(19, 20))).size).toBeGreaterThan(1); // variant byte keeps random bits
  });

  it('an old v1 consumer reads a newer compatible v1 event with extra fields', () => {
    const e = event();
    const newer = { ...e, newextension: 'x', data: { ...e.data, loyaltyPoints: 12, nested: { a: 1 } } };
    const parsed = parseEvent(JSON.stringify(newer));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.event.data).toMatchObject(e.data);
  });

  it.each([
    ['empty', null, /empty/],
    ['not JSON', '{"specversion":', /invalid JSON/],
    ['a JSON array', '[1,2]', /CloudEvents/],
    ['an unknown type', JSON.stringify({ ...event(), type: 'mm.something.v9' }), /unknown event type/],
    [
      'a float amount',
      JSON.stringify({ ...event(), data: { ...payment(), amount: { amountMinor: '2.5', currency: 'RWF' } } }),
      /amountMinor/,
    ],
    [
      'an unknown currency',
      JSON.stringify({ ...event(), data: { ...payment(), amount: { amountMinor: '1', currency: 'ABC' } } }),
      /currency/,
    ],
    ['a non-E.164 msisdn', JSON.stringify({ ...event(), data: { ...payment(), subscriberMsisdn: '0786474859' } }), /subscriberMsisdn/],
    ['a wrong specversion', JSON.stringify({ ...event(), specversion: '0.3' }), /CloudEvents/],
    ['an oversized message', 'x'.repeat(MAX_EVENT_BYTES + 1), /exceeds/],
    ['a debit command with a decimal amountMinor', JSON.stringify(debitCommand({ amountMinor: '1.5', currency: 'USD' })), /amountMinor/],
    ['a debit command with a zero amount', JSON.stringify(debitCommand({ amountMinor: '0', currency: 'USD' })), /greater than zero/],
    ['a debit command in KES', JSON.stringify(debitCommand({ amountMinor: '100', currency: 'KES' })), /USD/],
    ['a prototype-pollution attempt', '{"__proto__":{"polluted":true},"specversion":"1.0"}', /CloudEvents/],
  ])('rejects %s with a reason', (_name, value, reason) => {
    const parsed = parseEvent(value as string | null);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('TopicNamespace', () => {
  it('maps logical topics and groups into the environment and back', () => {
    const ns = new TopicNamespace('test.3f2a9c1e.');
    expect(ns.topic(Topics.DebitRequested)).toBe('test.3f2a9c1e.mm.debit.requested.v1');
    expect(ns.logical('test.3f2a9c1e.mm.debit.requested.v1')).toBe(Topics.DebitRequested);
    expect(ns.group('ledger')).toBe('test.3f2a9c1e.ledger');
  });
  it('does not claim a topic of another environment', () => {
    expect(new TopicNamespace('test.aaaa.').logical('test.bbbb.mm.debit.requested.v1')).toBeUndefined();
    expect(new TopicNamespace('bench.r1.').logical(Topics.DebitRequested)).toBeUndefined();
  });
  it('is the contracts names without a prefix', () => {
    const ns = new TopicNamespace();
    expect(ns.topic(Topics.PaymentReceived)).toBe(Topics.PaymentReceived);
    expect(ns.logical(Topics.PaymentReceived)).toBe(Topics.PaymentReceived);
  });
  it('refuses prefixes that could collide with or escape the naming scheme', () => {
    for (const bad of ['test', 'Test.', '.x.', 'a..', 'a b.', 'mm.debit.requested.v1.x'])
      expect(() => new TopicNamespace(bad)).toThrow(/invalid topic prefix/);
  });
});

describe('parseEvent with the topic a message came from', () => {
  it('refuses an event whose type the catalog assigns to another topic', () => {
    const forged = parseEvent(JSON.stringify(event()), undefined, Topics.DebitRequested);
    expect(forged).toMatchObject({
      ok: false,
      reason: `event type mm.payment.received.v1 does not belong on topic ${Topics.DebitRequested}`,
    });
  });
  it('accepts it from its own topic', () => {
    expect(parseEvent(JSON.stringify(event()), undefined, Topics.PaymentReceived).ok).toBe(true);
  });
  it('refuses any event from a topic outside the catalog', () => {
    expect(parseEvent(JSON.stringify(event()), undefined, 'mm.other.v1').ok).toBe(false);
  });
});
