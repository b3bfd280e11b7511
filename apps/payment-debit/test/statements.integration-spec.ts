import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BIXI_STATEMENT_CSV_HEADER } from '@mm/contracts';
import { createTestDatabase, queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { parse } from 'csv-parse/sync';
import { API_KEY, api, BIXI_TOKEN, debitCommand, observe, resultsOf, startDebit, startSandbox, type Observed } from './debit-harness';
import { jsonl, operatorGet, operatorToken, postStatement, statementLine } from './statement-support';

const TIMEOUT_ACCOUNT = '252600000006';
const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';
const MAX_BYTES = 64 * 1024;

/** Bixi statements imported through the API: UNKNOWNs settled from a single matching line, every disagreement a break. */
describe('payment-debit Bixi statements and breaks', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;
  let maker: string;
  let viewer: string;
  let checker: string;
  const counts = async () =>
    (
      await queryOnce<{ s: number; l: number; b: number }>(
        db.url,
        `select (select count(*)::int from debit.statements) as s, (select count(*)::int from debit.statement_lines) as l,
                (select count(*)::int from debit.breaks) as b`,
      )
    )[0]!;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    db = await createTestDatabase('debit_statements');
    sandbox = await startSandbox({ SANDBOX_HOLD_MS: '2000' });
    const env = { BIXI_TIMEOUT_MS: '500', STATEMENT_MAX_BYTES: String(MAX_BYTES), STATEMENT_MATCH_WINDOW_MS: '600000' };
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url, env), observe()]);
    [maker, viewer, checker] = await Promise.all([
      operatorToken('mia', ['maker']),
      operatorToken('val', ['viewer']),
      operatorToken('carl', ['checker']),
    ]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  let sandboxCsv = '';
  let firstAnswer: Record<string, unknown> = {};

  it('resolves an UNKNOWN debit from the one matching line of the sandbox statement: DEBITED with its ids, by source statement', async () => {
    const command = debitCommand({ accountNumber: TIMEOUT_ACCOUNT, amount: { amountMinor: '1250', currency: 'USD' } });
    expect((await api(debit, '/v1/debits', { method: 'POST', body: JSON.stringify(command) })).status).toBe(202);
    await waitFor(async () => {
      const res = await api(debit, `/v1/debits/${command.commandId}`);
      return ((await res.json()) as { state: string }).state === 'UNKNOWN' ? true : undefined;
    }, 20_000);
    const exported = await fetch(`${sandbox.url}/sandbox/statements/${today()}?format=csv`, {
      headers: { Authorization: `Bearer ${BIXI_TOKEN}` },
    });
    sandboxCsv = await exported.text();
    const [, line] = sandboxCsv.split('\r\n');
    const bixiId = line!.split(',')[0]!;

    const imported = await postStatement(debit, sandboxCsv, CSV, maker);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      statementId: expect.any(String),
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      linesRead: 1,
      stored: 1,
      alreadyKnown: 0,
      resolved: 1,
      breaks: [],
    });
    firstAnswer = imported.body;
    const stored = (await (await api(debit, `/v1/debits/${command.commandId}`)).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({
      state: 'APPROVED',
      bixiTransactionId: bixiId,
      charges: { amountMinor: '38', currency: 'USD' },
      total: { amountMinor: '1212', currency: 'USD' },
    });
    expect(
      await queryOnce(db.url, `select resolution_source from debit.debit_commands where command_id = $1`, [command.commandId]),
    ).toEqual([{ resolution_source: 'statement' }]);
    const resolution = await waitFor(() => resultsOf(o, command.commandId).find((e) => e.type === 'mm.debit.outcome-resolved.v1'), 20_000);
    expect(resolution.data).toMatchObject({
      outcome: 'DEBITED',
      bixiTransactionId: bixiId,
      charges: { amountMinor: '38' },
      total: { amountMinor: '1212' },
      resolution: { kind: 'statement', statementId: imported.body.statementId, lineKey: bixiId, evidence: expect.stringContaining(bixiId) },
    });
  });

  it('a replayed import of the same file answers the same and stores nothing; both are audited', async () => {
    const before = await counts();
    const again = await postStatement(debit, sandboxCsv, CSV, maker);
    expect(again).toMatchObject({ status: 200, replayed: 'true', body: firstAnswer });
    expect(await counts()).toEqual(before);
    const audit = await queryOnce<{ operator_sub: string; n: number }>(
      db.url,
      `select operator_sub, count(*)::int as n from debit.operator_actions where action = 'statement.import' group by operator_sub`,
    );
    expect(audit).toEqual([{ operator_sub: 'mia', n: 2 }]);
  });

  it('finds each kind of break, settles a failed line as NOT_DEBITED, and leaves an ambiguous UNKNOWN alone', async () => {
    const at = new Date();
    const fixture = async (state: string, receiptId: string, extra: Record<string, string | null> = {}) => {
      const id = randomUUID();
      await queryOnce(
        db.url,
        `insert into debit.debit_commands (command_id, request_sha256, correlation_id, account_number, account_type, amount_minor, currency,
           receipt_id, description, state, submitted_at, bixi_transaction_id, charges_minor, total_minor)
         values ($1, '\\x00', $2, '+252611000001', 'mmt', 500, 'USD', $3, 'd', $4, $5, $6, $7, $8)`,
        [id, `corr-${id}`, receiptId, state, at, extra.bixi ?? null, extra.charges ?? null, extra.total ?? null],
      );
      return id;
    };
    const approvedBixi = randomUUID();
    const approved = await fixture('APPROVED', 'RAPPROVED', { bixi: approvedBixi, charges: '15', total: '485' });
    const absent = await fixture('APPROVED', 'RABSENT', { bixi: randomUUID(), charges: '15', total: '485' });
    const [twinA, twinB] = [await fixture('UNKNOWN', 'RTWIN'), await fixture('UNKNOWN', 'RTWIN')];
    const refused = await fixture('UNKNOWN', 'RFAILED');
    const formula = `=cmd|' /C calc'!A0`;
    const lines = [
      statementLine({ id: approvedBixi, receiptId: 'RAPPROVED', charges: '0.20', total: '4.80' }), // AMOUNT_MISMATCH
      statementLine({ receiptId: 'RTWIN' }), // AMBIGUOUS: two UNKNOWN debits match it
      statementLine({ receiptId: formula, issuer: '+SUM(1)' }), // MISSING_IN_BOOKS
      statementLine({ receiptId: 'RDUP' }),
      statementLine({ receiptId: 'RDUP' }), // DUPLICATE
      statementLine({ receiptId: 'RFAILED', status: 'failed', charges: '0', total: '0' }), // settles NOT_DEBITED
    ];
    const imported = await postStatement(debit, jsonl(lines), NDJSON, maker);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      linesRead: 6,
      stored: 6,
      resolved: 1,
      breaks: [
        { type: 'AMBIGUOUS', count: 1 },
        { type: 'AMOUNT_MISMATCH', count: 1 },
        { type: 'DUPLICATE', count: 1 },
        { type: 'MISSING_IN_BOOKS', count: 1 },
        { type: 'MISSING_IN_STATEMENT', count: 1 },
      ],
    });
    const states = await queryOnce<{ command_id: string; state: string; resolution_source: string | null }>(
      db.url,
      `select command_id::text, state, resolution_source from debit.debit_commands where command_id = any($1) order by command_id`,
      [[approved, twinA, twinB, refused]],
    );
    expect(Object.fromEntries(states.map((s) => [s.command_id, [s.state, s.resolution_source]]))).toEqual({
      [approved]: ['APPROVED', null],
      [twinA]: ['UNKNOWN', null],
      [twinB]: ['UNKNOWN', null],
      [refused]: ['DECLINED', 'statement'],
    });
    const missing = (await (await operatorGet(debit, '/v1/breaks?type=MISSING_IN_STATEMENT', viewer)).json()) as {
      items: { bookRows: { commandId: string }[]; statementRows: unknown[] }[];
    };
    expect(missing.items.map((b) => b.bookRows.map((r) => r.commandId))).toEqual([[absent]]);
    const mismatch = (await (await operatorGet(debit, '/v1/breaks?type=AMOUNT_MISMATCH', viewer)).json()) as {
      items: { detail: string; statementRows: { charges: string }[] }[];
    };
    expect(mismatch.items[0]).toMatchObject({ detail: 'charges 20 ≠ ours 15; total 480 ≠ ours 485', statementRows: [{ charges: '0.20' }] });
  });

  it('lists breaks by filter and page, sums open ones by type, and refuses bad parameters and cursors', async () => {
    const page = (await (await operatorGet(debit, '/v1/breaks?limit=2', viewer)).json()) as {
      items: { breakId: string }[];
      nextCursor: string;
    };
    expect(page.items).toHaveLength(2);
    const rest = (await (await operatorGet(debit, `/v1/breaks?limit=50&cursor=${page.nextCursor}`, viewer)).json()) as {
      items: { breakId: string }[];
      nextCursor: string | null;
    };
    expect(rest).toMatchObject({ nextCursor: null });
    expect(rest.items).toHaveLength(3);
    expect(new Set([...page.items, ...rest.items].map((b) => b.breakId)).size).toBe(5);
    const dup = (await (await operatorGet(debit, '/v1/breaks?type=DUPLICATE&status=OPEN', viewer)).json()) as {
      items: { statementRows: { receiptId: string }[] }[];
    };
    expect(dup.items.map((b) => b.statementRows.map((r) => r.receiptId))).toEqual([['RDUP', 'RDUP']]);
    const summary = await (await operatorGet(debit, '/v1/breaks/summary', viewer)).json();
    expect(summary).toEqual({
      open: [
        { type: 'MISSING_IN_BOOKS', count: 1 },
        { type: 'MISSING_IN_STATEMENT', count: 1 },
        { type: 'AMOUNT_MISMATCH', count: 1 },
        { type: 'DUPLICATE', count: 1 },
        { type: 'AMBIGUOUS', count: 1 },
      ],
    });
    for (const bad of ['?type=NOPE', '?limit=0', '?cursor=not-a-cursor!', '?statementId=1%27%3B--', '?sort=x'])
      expect((await operatorGet(debit, `/v1/breaks${bad}`, viewer)).status).toBe(400);
    expect((await fetch(`${debit.url}/v1/breaks`)).status).toBe(401);
    expect((await fetch(`${debit.url}/v1/breaks`, { headers: { 'X-API-Key': API_KEY } })).status).toBe(401);
  });

  it('exports breaks as CSV with every formula-looking cell escaped, and audits the export', async () => {
    const res = await operatorGet(debit, '/v1/breaks.csv?status=OPEN', viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain(`,'=cmd|' /C calc'!A0,`);
    const rows = parse(text) as string[][];
    expect(rows[0]!.slice(0, 4)).toEqual(['breakId', 'type', 'status', 'statementId']);
    expect(rows).toHaveLength(6);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(await queryOnce(db.url, `select operator_sub, details from debit.operator_actions where action = 'breaks.export'`)).toEqual([
      { operator_sub: 'val', details: { format: 'csv', status: 'OPEN' } },
    ]);
  });

  it('closes a break with a reason (maker or checker), audited; refuses viewers, no token, a second close and bad input', async () => {
    const [open] = (
      (await (await operatorGet(debit, '/v1/breaks?type=MISSING_IN_BOOKS', viewer)).json()) as { items: { breakId: string }[] }
    ).items;
    const close = (id: string, token: string | null, body: unknown = { reason: 'test transaction from Bixi support' }) =>
      fetch(`${debit.url}/v1/breaks/${id}/close`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await close(open!.breakId, viewer)).status).toBe(403);
    expect((await close(open!.breakId, null)).status).toBe(401);
    expect((await close(open!.breakId, checker, { reason: 'no' })).status).toBe(400);
    expect((await close(open!.breakId, checker, { reason: 'fine', extra: 1 })).status).toBe(400);
    expect((await close('not-a-uuid', checker)).status).toBe(400);
    expect((await close(randomUUID(), checker)).status).toBe(404);
    const closed = await close(open!.breakId, checker, { reason: '=HYPERLINK("http://x") confirmed with Bixi' });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      status: 'CLOSED',
      closedBy: 'carl',
      closeReason: '=HYPERLINK("http://x") confirmed with Bixi',
    });
    expect((await close(open!.breakId, maker)).status).toBe(409);
    expect(
      await queryOnce(db.url, `select operator_sub, subject, reason from debit.operator_actions where action = 'break.close'`),
    ).toEqual([{ operator_sub: 'carl', subject: `break:${open!.breakId}`, reason: '=HYPERLINK("http://x") confirmed with Bixi' }]);
    const csv = await (await operatorGet(debit, '/v1/breaks.csv?status=CLOSED', viewer)).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://x"") confirmed with Bixi"`);
  });

  it('refuses malformed CSV, wrong columns, a bad line, an oversized or unknown body and wrong roles, storing nothing', async () => {
    const before = await counts();
    const good = statementLine();
    const row = (l: Record<string, string>) => Object.values(l).join(',');
    const cases: [string, string, number, string][] = [
      [`${BIXI_STATEMENT_CSV_HEADER}\n${row(good)}\n"unterminated,${row(good)}\n`, CSV, 400, 'line 3'],
      [`id,receiptId,amount\n1,2,3\n`, CSV, 400, 'column 3 (referenceId)'],
      [`${BIXI_STATEMENT_CSV_HEADER},extra\n`, CSV, 400, 'column 14 (extra)'],
      [`${BIXI_STATEMENT_CSV_HEADER}\n${row(good)}\n${row({ ...good, amount: '1.005' })}\n`, CSV, 400, 'line 3: amount'],
      [`${BIXI_STATEMENT_CSV_HEADER}\n${row(good)},surplus\n`, CSV, 400, 'line 2'],
      [``, CSV, 400, 'line 1'],
      [jsonl([good, { ...good, created: 'yesterday' }]), NDJSON, 400, 'line 2: created'],
      [jsonl([good, { ...good, sneaky: '1' }]), NDJSON, 400, 'line 2: sneaky'],
      [`${JSON.stringify(good)}\n[1,2]\n`, NDJSON, 400, 'line 2'],
      [`${JSON.stringify(good)}\n{"id": 1e400\n`, NDJSON, 400, 'line 2'],
    ];
    for (const [body, type, status, field] of cases) {
      const res = await postStatement(debit, body, type, maker);
      expect({ status: res.status, field: (res.body.details as { field: string }[] | undefined)?.[0]?.field }).toEqual({
        status,
        field: expect.stringContaining(field),
      });
    }
    const huge = `${BIXI_STATEMENT_CSV_HEADER}\n${`${row(good)}\n`.repeat(Math.ceil(MAX_BYTES / 100))}`;
    expect(huge.length).toBeGreaterThan(MAX_BYTES);
    expect((await postStatement(debit, huge, CSV, maker)).status).toBe(413);
    // Streamed without a length: refused once the limit is crossed, the answer still readable.
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) yield Buffer.from(jsonl([good]));
      })(),
    );
    const streamed = await fetch(`${debit.url}/v1/statements/bixi`, {
      method: 'POST',
      headers: { 'Content-Type': NDJSON, Authorization: `Bearer ${maker}` },
      body: Readable.toWeb(chunks) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const line = jsonl([good]);
    expect((await postStatement(debit, line, NDJSON, viewer)).status).toBe(403);
    expect((await postStatement(debit, line, NDJSON, checker)).status).toBe(403);
    expect((await postStatement(debit, line, NDJSON, null)).status).toBe(401);
    expect((await postStatement(debit, line, NDJSON, await operatorToken('mia', ['maker'], -60))).status).toBe(401);
    expect((await postStatement(debit, line, 'application/json', maker)).status).toBe(415);
    expect((await postStatement(debit, line, 'text/plain', maker)).status).toBe(415);
    expect(await counts()).toEqual(before);
  });
});
