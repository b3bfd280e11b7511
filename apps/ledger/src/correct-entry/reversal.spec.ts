import { createEnvelope, LEDGER_CORRECTION_APPROVED, uuidv4, uuidv7, type Money, type MmEvent } from '@mm/contracts';
import { debitApproved, debitDeclined, debitRequested, debitResolved, paymentEvent } from '../../test/support/events.factory';
import { isBalanced } from '../postings/chart-of-accounts';
import { bookCorrection } from './book-correction';
import { reversal } from './reversal';

const usd = (amountMinor: string): Money => ({ amountMinor, currency: 'USD' });
const lines = (r: ReturnType<typeof reversal>) => {
  if (!r.ok) throw new Error(r.reason);
  expect(isBalanced(r.lines)).toBe(true);
  return r.lines.map((l) => [l.accountId, l.amountMinor]);
};

describe('reversal', () => {
  const payment = paymentEvent({ providerId: '200', customerId: 'c1', amountMinor: '1000', currency: 'RWF' });
  const request = debitRequested({ accountNumber: 'p1', amountMinor: '100' });

  it('reverses a payment in full or in part on the same two accounts, up to what is left', () => {
    expect(lines(reversal(payment, { amountMinor: '1000', currency: 'RWF' }, 0n))).toEqual([
      ['provider-clearing:200', -1000n],
      ['customer:c1', 1000n],
    ]);
    expect(lines(reversal(payment, { amountMinor: '300', currency: 'RWF' }, 600n))).toEqual([
      ['provider-clearing:200', -300n],
      ['customer:c1', 300n],
    ]);
    expect(reversal(payment, { amountMinor: '401', currency: 'RWF' }, 600n)).toMatchObject({ ok: false, code: 'EXCEEDS_REMAINING' });
    expect(reversal(payment, { amountMinor: '1', currency: 'RWF' }, 1000n)).toMatchObject({ ok: false, code: 'EXCEEDS_REMAINING' });
  });

  it('refuses another currency, an event that took no money and a debit resolved as not debited', () => {
    expect(reversal(payment, usd('10'), 0n)).toMatchObject({ ok: false, code: 'CURRENCY_MISMATCH' });
    expect(reversal(request, usd('10'), 0n)).toMatchObject({ ok: false, code: 'NOT_CORRECTABLE' });
    expect(reversal(debitDeclined(request), usd('10'), 0n)).toMatchObject({ ok: false, code: 'NOT_CORRECTABLE' });
    expect(reversal(debitResolved(request, 'NOT_DEBITED'), usd('10'), 0n)).toMatchObject({ ok: false, code: 'NOT_CORRECTABLE' });
  });

  it('reverses every posting of an approved debit in full; a partial reversal comes out of settlement only', () => {
    const approved = debitApproved(request, '3');
    expect(lines(reversal(approved, usd('100'), 0n))).toEqual([
      ['bixi-settlement', -97n],
      ['fees:bixi', -3n],
      ['payer:p1', 100n],
    ]);
    expect(lines(reversal(approved, usd('40'), 0n))).toEqual([
      ['bixi-settlement', -40n],
      ['payer:p1', 40n],
    ]);
    expect(lines(reversal(approved, usd('57'), 40n))).toEqual([
      ['bixi-settlement', -57n],
      ['payer:p1', 57n],
    ]);
    // Neither more than the settlement share in part, nor the whole amount once part was reversed.
    expect(reversal(approved, usd('98'), 0n)).toMatchObject({ ok: false, code: 'EXCEEDS_REMAINING' });
    expect(reversal(approved, usd('58'), 40n)).toMatchObject({ ok: false, code: 'EXCEEDS_REMAINING' });
    expect(reversal(approved, usd('60'), 40n)).toMatchObject({ ok: false, code: 'EXCEEDS_REMAINING' });
  });

  it('returns a resolved debit to the payer, never to suspense', () => {
    expect(lines(reversal(debitResolved(request, 'DEBITED', '3'), usd('100'), 0n))).toEqual([
      ['bixi-settlement', -97n],
      ['fees:bixi', -3n],
      ['payer:p1', 100n],
    ]);
  });

  it('books a correction only against an original of the type it names', () => {
    const correction = (original: MmEvent, amountMinor: string) =>
      createEnvelope({
        type: LEDGER_CORRECTION_APPROVED,
        source: '/mm/ledger',
        subject: original.id,
        correlationId: uuidv4(),
        data: {
          correctionId: uuidv7(),
          proposalId: uuidv4(),
          originalEventId: original.id,
          originalEventType: 'mm.payment.received.v1' as const,
          amount: { amountMinor, currency: 'RWF' as const },
          reason: 'duplicate notification',
          makerId: 'alice',
          checkerId: 'bob',
        },
      });
    expect(bookCorrection(correction(payment, '10'), payment, 0n)).toMatchObject({ ok: true });
    expect(bookCorrection(correction(payment, '10'), undefined, 0n)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not in the ledger/),
    });
    expect(bookCorrection(correction(payment, '10'), debitApproved(request), 0n)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a mm.payment.received.v1/),
    });
    expect(bookCorrection(correction(payment, '10'), payment, 995n)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/EXCEEDS_REMAINING/),
    });
  });
});
