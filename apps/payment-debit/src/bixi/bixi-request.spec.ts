import { renderPayBody } from './bixi-request';

describe('renderPayBody', () => {
  it('renders the seed example body with the amount as a two-decimal JSON number', () => {
    const body = renderPayBody({
      accountNumber: '252600000000',
      accountType: 'mmt',
      amount: { amountMinor: '100', currency: 'USD' },
      receiptId: '123456',
      description: 'Receipt for sales bill No. 123456',
    });
    expect(body).toBe(
      '{"data":{"type":"transactions","attributes":{"memo":"debit","accountNumber":"252600000000","accountType":"mmt","receiptId":"123456","amount":1.00,"description":"Receipt for sales bill No. 123456"}}}',
    );
    expect(JSON.parse(body).data.attributes.amount).toBe(1);
  });

  it('keeps large amounts exact and hostile descriptions inert', () => {
    const body = renderPayBody({
      accountNumber: '252600000000',
      accountType: 'mmt',
      amount: { amountMinor: '900719925474099312', currency: 'USD' },
      receiptId: 'R',
      description: '"@amount" }, "memo": "credit',
    });
    expect(body).toContain('"amount":9007199254740993.12,');
    expect(JSON.parse(body).data.attributes).toMatchObject({ memo: 'debit', description: '"@amount" }, "memo": "credit' });
  });

  it('refuses another currency', () => {
    expect(() =>
      renderPayBody({
        accountNumber: '1',
        accountType: 'mmt',
        amount: { amountMinor: '1', currency: 'KES' },
        receiptId: 'R',
        description: 'd',
      }),
    ).toThrow();
  });
});
