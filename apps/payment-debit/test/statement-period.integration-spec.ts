import { randomUUID } from 'node:crypto';
import { createTestDatabase, queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { observe, resultsOf, startDebit, startSandbox, type Observed } from './debit-harness';
import { jsonl, operatorToken, postStatement, statementLine } from './statement-support';

const NDJSON = 'application/x-ndjson';
const DAY = '2026-01-10';
const PERIOD = `?period=${DAY}`;

/**
 * A Bixi statement declared complete for a period proves a negative: an UNKNOWN debit whose matching window lies
 * inside the period and whose receipt is on no line was never debited, and is resolved NOT_DEBITED from it.
 */
describe('payment-debit statements complete for a period', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;
  let maker: string;

  /** An UNKNOWN command submitted at `submittedAt`, as the sweep or an unreadable answer leaves it. */
  const unknown = async (receiptId: string, submittedAt: string) => {
    const id = randomUUID();
    await queryOnce(
      db.url,
      `insert into debit.debit_commands (command_id, request_sha256, correlation_id, account_number, account_type, amount_minor, currency,
         receipt_id, description, state, submitted_at, reasons)
       values ($1, '\\x00', $2, '252611000001', 'mmt', 500, 'USD', $3, 'd', 'UNKNOWN', $4, '["no answer"]')`,
      [id, `corr-${id}`, receiptId, submittedAt],
    );
    return id;
  };
  const stateOf = async (id: string) =>
    (
      await queryOnce<{ state: string; resolution_source: string | null }>(
        db.url,
        'select state, resolution_source from debit.debit_commands where command_id = $1',
        [id],
      )
    )[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('debit_statement_period');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, { STATEMENT_MATCH_WINDOW_MS: '600000' }), observe()]);
    maker = await operatorToken('mia', ['maker']);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('resolves as NOT_DEBITED an UNKNOWN whose window lies in the period and whose receipt no line carries; leaves the rest', async () => {
    const gone = await unknown('RGONE', `${DAY}T12:00:00Z`);
    const edge = await unknown('REDGE', `${DAY}T00:05:00Z`); // its 10-minute window starts the day before
    const listed = await unknown('RLISTED', `${DAY}T13:00:00Z`); // a line carries its receipt, but for another amount
    const otherDay = await unknown('ROTHER', '2026-01-11T12:00:00Z');
    const lines = [
      statementLine({ receiptId: 'RLISTED', amount: '7', charges: '0.21', total: '6.79', created: `${DAY}T13:00:01.000Z` }),
      statementLine({ receiptId: 'RSTRANGER', created: `${DAY}T14:00:00.000Z` }),
    ];
    const res = await postStatement(debit, jsonl(lines), NDJSON, maker, PERIOD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ linesRead: 2, stored: 2, resolved: 1 });

    expect(await stateOf(gone)).toEqual({ state: 'DECLINED', resolution_source: 'statement' });
    for (const id of [edge, listed, otherDay]) expect(await stateOf(id)).toEqual({ state: 'UNKNOWN', resolution_source: null });
    const resolved = await waitFor(() => resultsOf(o, gone).find((e) => e.type === 'mm.debit.outcome-resolved.v1'), 20_000, 100);
    expect(resolved.data).toMatchObject({
      commandId: gone,
      outcome: 'NOT_DEBITED',
      amount: { amountMinor: '500', currency: 'USD' },
      resolution: { kind: 'statement', statementId: res.body.statementId, lineKey: `absent:${DAY}..${DAY}` },
    });
    expect((resolved.data as unknown as { resolution: { evidence: string } }).resolution.evidence).toContain('RGONE');

    // The same bytes and period again: the stored answer, nothing settled twice.
    const again = await postStatement(debit, jsonl(lines), NDJSON, maker, PERIOD);
    expect(again).toMatchObject({ status: 200, replayed: 'true', body: res.body });
  });

  it('proves nothing without a declared period', async () => {
    const id = await unknown('RNOPERIOD', `${DAY}T15:00:00Z`);
    const res = await postStatement(debit, jsonl([statementLine({ receiptId: 'RELSE', created: `${DAY}T15:00:00.000Z` })]), NDJSON, maker);
    expect(res).toMatchObject({ status: 200, body: { resolved: 0 } });
    expect(await stateOf(id)).toEqual({ state: 'UNKNOWN', resolution_source: null });
  });

  it('refuses a line outside the declared period and a malformed period, storing nothing', async () => {
    const before = await queryOnce<{ n: number }>(db.url, 'select count(*)::int as n from debit.statements');
    const outside = jsonl([statementLine({ created: `${DAY}T10:00:00.000Z` }), statementLine({ created: '2026-01-11T00:00:00.000Z' })]);
    const refused = await postStatement(debit, outside, NDJSON, maker, PERIOD);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ details: [{ field: 'line 2: created' }] });
    for (const period of ['2026-1-10', '2026-02-30', '2026-01-12..2026-01-10', '2026-01-01..2026-03-01', 'x'.repeat(300)]) {
      const res = await postStatement(debit, jsonl([statementLine()]), NDJSON, maker, `?period=${encodeURIComponent(period)}`);
      expect({ period, status: res.status, field: (res.body.details as { field: string }[] | undefined)?.[0]?.field }).toEqual({
        period,
        status: 400,
        field: 'period',
      });
    }
    const twice = await postStatement(debit, jsonl([statementLine()]), NDJSON, maker, `?period=${DAY}&period=${DAY}`);
    expect(twice.status).toBe(400);
    expect(await queryOnce<{ n: number }>(db.url, 'select count(*)::int as n from debit.statements')).toEqual(before);
  });
});
