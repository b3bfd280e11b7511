import { parseJsonExact } from '../json-exact';
import { BboxxNotificationBodySchema } from './bboxx';

const parse = (json: string) => BboxxNotificationBodySchema.safeParse(parseJsonExact(json));
const failedFields = (json: string) => {
  const result = parse(json);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('BboxxNotificationBodySchema on exactly parsed JSON', () => {
  it('keeps a JSON-number amount as its text and reads integer identifiers as the digits written', () => {
    const result = parse(
      '{"transactionId": 123456789012345678901, "amount": 99999999999999.99, "currency": "USD", "account_number": 45678}',
    );
    expect(result.success).toBe(true);
    expect(result.data?.amount.toString()).toBe('99999999999999.99');
    expect(result.data?.transactionId).toBe('123456789012345678901');
    expect(result.data?.account_number).toBe('45678');
  });

  it.each([
    ['{"transactionId": 1.5, "amount": 1, "currency": "RWF"}', 'transactionId'],
    ['{"transactionId": -1, "amount": 1, "currency": "RWF"}', 'transactionId'],
    ['{"transactionId": 1e3, "amount": 1, "currency": "RWF"}', 'transactionId'],
    ['{"transactionId": "t", "amount": 1, "currency": "RWF", "account_number": 4.5}', 'account_number'],
    ['{"transactionId": "t", "amount": true, "currency": "RWF"}', 'amount'],
  ])('refuses %s naming %s', (json, field) => {
    expect(failedFields(json)).toEqual([field]);
  });

  it('refuses a JS number amount (JSON.parse has already rounded it)', () => {
    expect(BboxxNotificationBodySchema.safeParse({ transactionId: 't', amount: 200, currency: 'RWF' }).success).toBe(false);
  });
});
