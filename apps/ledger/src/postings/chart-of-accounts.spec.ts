import {
  createEnvelope,
  DEBIT_APPROVED,
  DEBIT_DECLINED,
  DEBIT_EXPIRED,
  DEBIT_OUTCOME_RESOLVED,
  DEBIT_OUTCOME_UNKNOWN,
  PAYMENT_RECEIVED,
  uuidv7,
  type Money,
} from '@mm/contracts';
import { book, isBalanced, type PostingLine } from './chart-of-accounts';

const base = { source: '/test', subject: 's', correlationId: 'c' };
const usd = (amountMinor: string): Money => ({ amountMinor, currency: 'USD' });

const payment = (amount: Money) =>
  createEnvelope({
    ...base,
    type: PAYMENT_RECEIVED,
    data: {
      paymentId: uuidv7(),
      providerId: '200',
      customerId: '12000',
      messageId: 'm',
      transactionId: 't',
      amount,
      smsSupport: false,
      receivedAt: new Date().toISOString(),
    },
  });

const approved = (amount: Money, charges: Money, total: Money) =>
  createEnvelope({
    ...base,
    type: DEBIT_APPROVED,
    data: {
      commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      accountNumber: '252600000000',
      accountType: 'mmt' as const,
      amount,
      receiptId: '123456',
      bixiTransactionId: '9d1ad1f3',
      charges,
      total,
    },
  });

const linesOf = (booking: ReturnType<typeof book>): PostingLine[] => {
  if (!booking.ok) throw new Error(booking.reason);
  return booking.lines;
};

describe('book', () => {
  it('books a received payment: provider clearing debited, customer credited', () => {
    const lines = linesOf(book(payment({ amountMinor: '200', currency: 'RWF' })));
    expect(lines).toEqual([
      { accountId: 'provider-clearing:200', currency: 'RWF', amountMinor: 200n },
      { accountId: 'customer:12000', currency: 'RWF', amountMinor: -200n },
    ]);
    expect(isBalanced(lines)).toBe(true);
  });

  it('books an approved debit: settlement (total) and fees (charges) against the payer (amount)', () => {
    const lines = linesOf(book(approved(usd('100'), usd('3'), usd('97'))));
    expect(lines).toEqual([
      { accountId: 'bixi-settlement', currency: 'USD', amountMinor: 97n },
      { accountId: 'fees:bixi', currency: 'USD', amountMinor: 3n },
      { accountId: 'payer:252600000000', currency: 'USD', amountMinor: -100n },
    ]);
    expect(isBalanced(lines)).toBe(true);
  });

  it('leaves out a zero fee line when Bixi charged nothing', () => {
    expect(linesOf(book(approved(usd('100'), usd('0'), usd('100')))).map((l) => l.accountId)).toEqual([
      'bixi-settlement',
      'payer:252600000000',
    ]);
  });

  it.each([
    ['total + charges ≠ amount', approved(usd('100'), usd('3'), usd('98')), /does not add up/],
    ['mixed currencies', approved(usd('100'), { amountMinor: '3', currency: 'KES' }, usd('97')), /mixes currencies/],
    ['negative charges', approved(usd('100'), usd('-3'), usd('103')), /negative/],
    ['a zero payment', payment({ amountMinor: '0', currency: 'RWF' }), /not a positive/],
    ['a negative payment', payment({ amountMinor: '-5', currency: 'RWF' }), /not a positive/],
    ['a payment beyond bigint', payment({ amountMinor: '9223372036854775808', currency: 'RWF' }), /not a positive/],
  ])('refuses %s with a reason', (_name, event, reason) => {
    const booking = book(event);
    expect(booking.ok).toBe(false);
    if (!booking.ok) expect(booking.reason).toMatch(reason);
  });

  it('books nothing for a decline', () => {
    const declined = createEnvelope({
      ...base,
      type: DEBIT_DECLINED,
      data: {
        commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
        accountNumber: '252600000000',
        accountType: 'mmt' as const,
        amount: usd('100'),
        receiptId: '1',
        reason: 'insufficient funds',
      },
    });
    expect(book(declined)).toEqual({ ok: true, lines: [] });
  });

  it('detects an unbalanced entry per currency', () => {
    expect(
      isBalanced([
        { accountId: 'a', currency: 'USD', amountMinor: 1n },
        { accountId: 'b', currency: 'KES', amountMinor: -1n },
      ]),
    ).toBe(false);
  });

  describe('UNKNOWN outcomes and their resolutions (suspense)', () => {
    const subject = {
      commandId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      accountNumber: '252600000000',
      accountType: 'mmt' as const,
      amount: usd('100'),
      receiptId: '123456',
    };
    const resolution = { kind: 'late-answer' as const, answeredAt: '2026-12-02T10:00:00Z', evidence: 'Bixi answered after the sweep' };
    const unknown = () => createEnvelope({ ...base, type: DEBIT_OUTCOME_UNKNOWN, data: { ...subject, reason: 'Bixi timed out' } });
    const debitedResolution = (charges: Money, total: Money) =>
      createEnvelope({
        ...base,
        type: DEBIT_OUTCOME_RESOLVED,
        data: { ...subject, outcome: 'DEBITED' as const, resolution, bixiTransactionId: 'b1', charges, total },
      });
    const notDebited = () =>
      createEnvelope({
        ...base,
        type: DEBIT_OUTCOME_RESOLVED,
        data: { ...subject, outcome: 'NOT_DEBITED' as const, resolution, reason: 'Bixi status declined' },
      });
    const sum = (lines: PostingLine[], account: string) =>
      lines.filter((l) => l.accountId === account).reduce((t, l) => t + l.amountMinor, 0n);

    it('books an UNKNOWN debit into suspense: bixi-suspense +amount, payer −amount', () => {
      expect(linesOf(book(unknown()))).toEqual([
        { accountId: 'bixi-suspense', currency: 'USD', amountMinor: 100n },
        { accountId: 'payer:252600000000', currency: 'USD', amountMinor: -100n },
      ]);
    });

    it('books a DEBITED resolution out of suspense: settlement +total, fees +charges, bixi-suspense −amount', () => {
      expect(linesOf(book(debitedResolution(usd('3'), usd('97'))))).toEqual([
        { accountId: 'bixi-settlement', currency: 'USD', amountMinor: 97n },
        { accountId: 'fees:bixi', currency: 'USD', amountMinor: 3n },
        { accountId: 'bixi-suspense', currency: 'USD', amountMinor: -100n },
      ]);
    });

    it('books a NOT_DEBITED resolution back to the payer: payer +amount, bixi-suspense −amount', () => {
      expect(linesOf(book(notDebited()))).toEqual([
        { accountId: 'payer:252600000000', currency: 'USD', amountMinor: 100n },
        { accountId: 'bixi-suspense', currency: 'USD', amountMinor: -100n },
      ]);
    });

    it('suspense nets to zero once every UNKNOWN is resolved, and the payer ends as a direct approval or a decline would leave it', () => {
      const debitedPath = [unknown(), debitedResolution(usd('3'), usd('97'))].flatMap((e) => linesOf(book(e)));
      const refundedPath = [unknown(), notDebited()].flatMap((e) => linesOf(book(e)));
      expect(sum(debitedPath, 'bixi-suspense')).toBe(0n);
      expect(sum(refundedPath, 'bixi-suspense')).toBe(0n);
      const direct = linesOf(book(approved(usd('100'), usd('3'), usd('97'))));
      for (const account of ['payer:252600000000', 'bixi-settlement', 'fees:bixi'])
        expect(sum(debitedPath, account)).toBe(sum(direct, account));
      expect(sum(refundedPath, 'payer:252600000000')).toBe(0n);
      expect(isBalanced(debitedPath) && isBalanced(refundedPath)).toBe(true);
    });

    it('refuses a DEBITED resolution that does not add up, and books nothing for an expired command', () => {
      const booking = book(debitedResolution(usd('3'), usd('98')));
      expect(booking.ok).toBe(false);
      if (!booking.ok) expect(booking.reason).toMatch(/resolved debit does not add up/);
      const expired = createEnvelope({
        ...base,
        type: DEBIT_EXPIRED,
        data: { ...subject, deadline: '2026-12-02T10:00:00Z', reason: 'deadline passed' },
      });
      expect(book(expired)).toEqual({ ok: true, lines: [] });
    });
  });
});
