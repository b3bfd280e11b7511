import { classifyRepeat, type StoredNotification } from './classify-repeat';
import type { NewNotification } from './notification.repository';

const response = { providerTransactionId: 'p-1', status: 'ACCEPTED' as const, Description: 'ok' };
const stored: StoredNotification = {
  message_id: 'm-1',
  provider_id: '200',
  customer_id: '12000',
  transaction_id: 't-1',
  body_sha256: Buffer.from('aa', 'hex'),
  amount_minor: '200',
  currency: 'RWF',
  response,
};
const incoming: NewNotification = {
  id: 'p-2',
  messageId: 'm-1',
  providerId: '200',
  customerId: '12000',
  transactionId: 't-1',
  bodySha256: Buffer.from('aa', 'hex'),
  amountMinor: '200',
  currency: 'RWF',
  rawBody: Buffer.from('{}'),
  response: { ...response, providerTransactionId: 'p-2' },
};

describe('classifyRepeat', () => {
  it('answers an identical replay with the first response', () => {
    expect(classifyRepeat(incoming, [stored])).toEqual({ kind: 'duplicate', response });
  });

  it.each([
    ['another body', { bodySha256: Buffer.from('bb', 'hex') }],
    ['another provider', { providerId: '201' }],
  ])('refuses the same MessageID with %s', (_what, change) => {
    expect(classifyRepeat({ ...incoming, ...change }, [stored])).toMatchObject({ kind: 'conflict', field: 'MessageID' });
  });

  it("does not hold another customer's MessageID against a customer (MessageID is unique per customer)", () => {
    const otherCustomer = { ...incoming, customerId: '12001', providerId: '201', transactionId: 't-9' };
    const theirs: StoredNotification = {
      ...stored,
      customer_id: '12001',
      provider_id: '201',
      transaction_id: 't-9',
      response: { ...response, providerTransactionId: 'p-9' },
    };
    expect(classifyRepeat(otherCustomer, [stored, theirs])).toEqual({ kind: 'duplicate', response: theirs.response });
    expect(classifyRepeat({ ...otherCustomer, bodySha256: Buffer.from('bb', 'hex') }, [stored, theirs])).toMatchObject({
      kind: 'conflict',
      field: 'MessageID',
    });
  });

  it('treats a re-sent transaction under a new MessageID with the same money as a repeat', () => {
    const resent = { ...incoming, messageId: 'm-2', bodySha256: Buffer.from('cc', 'hex') };
    expect(classifyRepeat(resent, [stored])).toEqual({ kind: 'duplicate', response });
  });

  it.each([
    ['amount', { amountMinor: '201' }],
    ['currency', { currency: 'KES' }],
    ['customer', { customerId: '12001' }],
  ])('refuses the same transactionId with another %s', (_what, change) => {
    expect(classifyRepeat({ ...incoming, messageId: 'm-2', ...change }, [stored])).toMatchObject({
      kind: 'conflict',
      field: 'transactionId',
    });
  });

  it('fails loudly when the clashing row cannot be found', () => {
    expect(() => classifyRepeat(incoming, [])).toThrow(/no conflicting row/);
  });
});
