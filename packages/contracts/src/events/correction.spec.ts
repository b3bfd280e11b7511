import { createEnvelope } from '../envelope';
import { parseEvent } from '../kafka';
import { Topics } from '../topics';
import { uuidv4, uuidv7 } from '../uuid';
import { LEDGER_CORRECTION_APPROVED } from './correction';

const correction = (data: Record<string, unknown> = {}) =>
  JSON.stringify(
    createEnvelope({
      type: LEDGER_CORRECTION_APPROVED,
      source: '/mm/ledger',
      subject: 'evt-1',
      correlationId: uuidv4(),
      data: {
        correctionId: uuidv7(),
        proposalId: uuidv4(),
        originalEventId: 'evt-1',
        originalEventType: 'mm.payment.received.v1',
        amount: { amountMinor: '250', currency: 'RWF' },
        reason: 'duplicate notification',
        makerId: 'alice',
        checkerId: 'bob',
        ...data,
      },
    }),
  );

describe('mm.ledger.correction-approved.v1', () => {
  it('is accepted only from the ledger correction topic', () => {
    expect(parseEvent(correction(), undefined, Topics.LedgerCorrection)).toMatchObject({ ok: true });
    for (const topic of [Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult]) {
      expect(parseEvent(correction(), undefined, topic)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/does not belong on topic/),
      });
    }
  });

  it.each([
    ['the maker as checker', { checkerId: 'alice' }],
    ['a zero amount', { amount: { amountMinor: '0', currency: 'RWF' } }],
    ['a negative amount', { amount: { amountMinor: '-1', currency: 'RWF' } }],
    ['an amount beyond bigint', { amount: { amountMinor: '9223372036854775808', currency: 'RWF' } }],
    ['an original that moves no money', { originalEventType: 'mm.debit.requested.v1' }],
    ['a control character in the reason', { reason: 'a\u0000b' }],
    ['no reason', { reason: '' }],
  ])('refuses %s', (_what, data) => {
    expect(parseEvent(correction(data), undefined, Topics.LedgerCorrection)).toMatchObject({ ok: false });
  });
});
