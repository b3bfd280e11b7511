import { SearchQuerySchema } from '@mm/contracts';
import { ledgerSearchPath } from './find.service';

const pathOf = (query: Record<string, string>) => {
  const path = ledgerSearchPath(SearchQuerySchema.parse(query));
  const [list, qs] = path.split('?');
  return { list, params: Object.fromEntries(new URLSearchParams(qs)) };
};

describe('ledgerSearchPath', () => {
  it('passes every payment key to /v1/payments, the msisdn normalised to E.164 and the day as a UTC range', () => {
    expect(
      pathOf({
        providerId: '200',
        customerId: '12000',
        msisdn: '00250 786 474 859',
        transactionId: 'tx 1/2',
        accountNumber: 'ACC-9',
        date: '2026-11-20',
        commandId: '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e',
        state: 'UNKNOWN',
      }),
    ).toEqual({
      list: '/v1/payments',
      params: {
        limit: '50',
        providerId: '200',
        customerId: '12000',
        msisdn: '+250786474859',
        transactionId: 'tx 1/2',
        accountNumber: 'ACC-9',
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-21T00:00:00.000Z',
      },
    });
  });

  it('passes the debit keys to /v1/debits and leaves the payment keys out', () => {
    const commandId = '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
    expect(pathOf({ kind: 'debits', commandId, accountNumber: '2526', state: 'UNKNOWN', msisdn: '+250786474859', cursor: 'abc' })).toEqual({
      list: '/v1/debits',
      params: { limit: '50', cursor: 'abc', commandId, accountNumber: '2526', state: 'UNKNOWN' },
    });
  });

  it.each([
    ['msisdn', "' or 1=1 --"],
    ['msisdn', '0786474859'],
    ['transactionId', 'x'.repeat(129)],
    ['transactionId', 'a\u0000b'],
    ['commandId', 'not-a-uuid'],
    ['providerId', "200';--"],
    ['date', '2026-02-30'],
    ['unknown', 'x'],
  ])('refuses a malformed %s before any call', (key, value) => {
    expect(SearchQuerySchema.safeParse({ [key]: value }).success).toBe(false);
  });
});
