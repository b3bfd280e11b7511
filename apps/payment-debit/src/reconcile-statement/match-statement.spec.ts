import { BixiStatementLineSchema, toStatementEntry } from '@mm/contracts';
import { matchStatement } from './match-statement';
import type { BookCommand, StatementLine } from './statement';

const submitted = new Date('2026-12-04T10:00:00.000Z');
let seq = 0;

function line(overrides: Record<string, string> = {}): StatementLine {
  const columns = {
    id: `bixi-${++seq}`,
    receiptId: 'R1',
    referenceId: 'ref',
    accountNumber: '252600000006',
    accountType: 'mmt',
    issuer: 'hormuud',
    status: 'approved',
    currency: 'USD',
    issuerTransactionId: '536117',
    amount: '12.5',
    charges: '0.38',
    total: '12.12',
    created: '2026-12-04T10:00:01.000000Z',
    ...overrides,
  };
  const entry = toStatementEntry(BixiStatementLineSchema.parse(columns));
  if ('field' in entry) throw new Error(entry.message);
  return { ...entry, lineNo: seq, columns };
}

const command = (overrides: Partial<BookCommand> = {}): BookCommand => ({
  commandId: `cmd-${++seq}`,
  state: 'UNKNOWN',
  accountNumber: '+252600000006',
  accountType: 'mmt',
  receiptId: 'R1',
  amount: { amountMinor: '1250', currency: 'USD' },
  submittedAt: submitted,
  resolvedAt: null,
  bixiTransactionId: null,
  chargesMinor: null,
  totalMinor: null,
  correlationId: 'c',
  causationId: null,
  ...overrides,
});

const WINDOW = 60_000;

describe('matching a Bixi statement with our debits', () => {
  it('resolves an UNKNOWN debit from its one matching line as DEBITED with the line ids and money', () => {
    const l = line();
    const c = command();
    const { resolutions, breaks } = matchStatement([l], [c], WINDOW);
    expect(breaks).toEqual([]);
    expect(resolutions).toEqual([
      {
        command: c,
        line: l,
        outcome: {
          state: 'APPROVED',
          transaction: {
            bixiTransactionId: l.id,
            referenceId: 'ref',
            issuer: 'hormuud',
            issuerTransactionId: '536117',
            bixiStatus: 'approved',
            charges: { amountMinor: '38', currency: 'USD' },
            total: { amountMinor: '1212', currency: 'USD' },
          },
        },
      },
    ]);
  });

  it('needs the same receipt, account, amount and currency, within the window either side', () => {
    const inside = line({ created: '2026-12-04T09:59:00.000000Z' });
    expect(matchStatement([inside], [command()], WINDOW).resolutions).toHaveLength(1);
    for (const other of [
      line({ created: '2026-12-04T10:01:00.001000Z' }),
      line({ receiptId: 'R2' }),
      line({ accountNumber: '252600000007' }),
      line({ amount: '12.51', total: '12.13' }),
      line({ currency: 'EUR' }),
    ]) {
      const { resolutions, breaks } = matchStatement([other], [command()], WINDOW);
      expect(resolutions).toEqual([]);
      expect(breaks.map((b) => b.type)).toEqual(['MISSING_IN_BOOKS']);
    }
  });

  it('settles a failed line as NOT_DEBITED, and leaves a pending one or one whose money does not add up for an operator', () => {
    const failed = matchStatement([line({ status: 'failed', charges: '0', total: '0' })], [command()], WINDOW);
    expect(failed.resolutions[0]!.outcome).toMatchObject({ state: 'DECLINED', bixiStatus: 'failed' });
    const pending = matchStatement([line({ status: 'pending' })], [command()], WINDOW);
    expect(pending).toMatchObject({ resolutions: [], breaks: [{ type: 'AMBIGUOUS', detail: expect.stringContaining('not final') }] });
    const odd = matchStatement([line({ total: '12.00' })], [command()], WINDOW);
    expect(odd).toMatchObject({ resolutions: [], breaks: [{ type: 'AMOUNT_MISMATCH' }] });
  });

  it('resolves nothing when two lines or two UNKNOWN debits compete: one AMBIGUOUS break per group', () => {
    const twoLines = matchStatement([line({ receiptId: 'R1' }), line({ receiptId: 'R1' })], [command()], WINDOW);
    expect(twoLines.resolutions).toEqual([]);
    expect(twoLines.breaks.map((b) => b.type).sort()).toEqual(['AMBIGUOUS', 'DUPLICATE']);
    const twoDebits = matchStatement([line()], [command(), command()], WINDOW);
    expect(twoDebits.resolutions).toEqual([]);
    expect(twoDebits.breaks).toMatchObject([{ type: 'AMBIGUOUS', bookRows: [{}, {}], statementRows: [{}] }]);
  });

  it('compares a line with the approved debit holding its Bixi id; an already resolved UNKNOWN is not matched again', () => {
    const l = line({ charges: '0.40', total: '12.10' });
    const approved = command({ state: 'APPROVED', bixiTransactionId: l.id, chargesMinor: '38', totalMinor: '1212' });
    expect(matchStatement([l], [approved], WINDOW).breaks).toMatchObject([
      { type: 'AMOUNT_MISMATCH', detail: 'charges 40 ≠ ours 38; total 1210 ≠ ours 1212' },
    ]);
    expect(matchStatement([line()], [command({ state: 'APPROVED', bixiTransactionId: 'other' })], WINDOW).breaks[0]!.type).toBe(
      'MISSING_IN_BOOKS',
    );
    const declined = line({ id: 'bixi-declined' });
    const ours = command({ state: 'DECLINED', bixiTransactionId: 'bixi-declined' });
    expect(matchStatement([declined], [ours], WINDOW).breaks).toMatchObject([
      { type: 'MISSING_IN_BOOKS', bookRows: [{ state: 'DECLINED' }] },
    ]);
    expect(matchStatement([line()], [command({ resolvedAt: new Date() })], WINDOW).resolutions).toEqual([]);
  });
});
