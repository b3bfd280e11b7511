import { parse } from 'csv-parse/sync';
import { paymentEvent } from './support/events.factory';
import { LedgerHarness, startLedgerApp } from './support/ledger-harness';
import { bearer, forgedToken, operatorToken } from './support/operators';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

const MAX_BYTES = 64 * 1024;
const INJECTION = "=cmd|' /C calc'!A0";

/** Provider settlement statements: import (CSV and NDJSON), matching into breaks, the breaks API, and hostile input. */
describe('provider statements and their breaks', () => {
  let h: LedgerHarness;
  let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
  let maker: string;
  let checker: string;
  let viewer: string;
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const at = (hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00.000Z`);

  const payment = (providerId: string, transactionId: string, amountMinor: string, time: Date) => {
    const e = paymentEvent({ providerId, amountMinor, currency: 'RWF', time });
    e.data.transactionId = transactionId;
    return e;
  };
  const matched = payment('ps-200', 'tx-ok', '500', at(8));
  const mismatched = payment('ps-200', 'tx-mismatch', '700', at(9));
  const unlisted = payment('ps-200', 'tx-unlisted', '300', at(10));
  const duplicated = payment('ps-200', 'tx-dup', '100', at(11));
  const otherProvider = payment('ps-300', 'tx-other', '900', at(12));
  const otherDay = payment('ps-200', 'tx-other-day', '900', new Date(at(12).getTime() - 2 * 86_400_000));

  const line = (transactionId: string, amount: string, hour = 8) =>
    `ps-200,${transactionId},${amount},RWF,+250786474859,${at(hour).toISOString()}`;
  const header = 'providerId,transactionId,amount,currency,msisdn,time';
  const statement = [
    header,
    line('tx-ok', '500'),
    line('tx-mismatch', '800', 9),
    line('tx-dup', '100', 11),
    line('tx-dup', '100', 11),
    line('tx-not-booked', '250', 13),
    `ps-200,"${INJECTION}",40,RWF,+250786474859,${at(14).toISOString()}`,
  ].join('\r\n');

  const post = async (body: string | Uint8Array | ReadableStream, token: string | undefined, type = 'text/csv') => {
    const res = await fetch(`${ledger.url}/v1/statements/provider`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? bearer(token) : {}) },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const get = async (path: string, token = viewer) => {
    const res = await fetch(`${ledger.url}${path}`, { headers: bearer(token) });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const getJson = async (path: string, token = viewer) => {
    const res = await get(path, token);
    return { status: res.status, body: JSON.parse(res.text) as Json };
  };
  const close = async (breakId: string, body: unknown, token = maker) => {
    const res = await fetch(`${ledger.url}/v1/breaks/${breakId}/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const stored = async () => ({
    statements: await h.count('select count(*)::int as n from ledger.provider_statements'),
    lines: await h.count('select count(*)::int as n from ledger.provider_statement_lines'),
    breaks: await h.count('select count(*)::int as n from ledger.provider_breaks'),
  });

  let first: Json;

  beforeAll(async () => {
    h = await LedgerHarness.create('provider_statements');
    const env = h.env({ STATEMENT_MAX_BYTES: String(MAX_BYTES) });
    ledger = await startLedgerApp(env);
    [maker, checker, viewer] = await Promise.all([
      operatorToken('mia-maker', ['maker']),
      operatorToken('carl-checker', ['checker']),
      operatorToken('vic-viewer', ['viewer']),
    ]);
    await h.publish([matched, mismatched, unlisted, duplicated, otherProvider, otherDay]);
    await h.waitCaughtUp(env.LEDGER_CONSUMER_GROUP!);
    const res = await post(statement, maker);
    expect(res.status).toBe(200);
    first = res.body;
  });

  afterAll(async () => {
    await ledger?.close();
    await h?.close();
  });

  it('finds each break type, with the rows of both sides', async () => {
    expect(first).toMatchObject({ format: 'csv', lines: 6, providers: ['ps-200'], importedBy: 'mia-maker' });
    expect(first.days).toEqual([day]);
    expect(first.breaks).toEqual([
      { type: 'MISSING_IN_BOOKS', count: 2 },
      { type: 'MISSING_IN_STATEMENT', count: 1 },
      { type: 'AMOUNT_MISMATCH', count: 1 },
      { type: 'DUPLICATE', count: 1 },
    ]);
    const { status, body } = await getJson(`/v1/breaks?statementId=${first.statementId}`);
    expect(status).toBe(200);
    const byTx = (b: Json) => (b.statementRows[0] ?? b.bookRows[0]).transactionId as string;
    const breaks = Object.fromEntries(body.items.map((b: Json) => [`${b.type}/${byTx(b)}`, b]));
    expect(Object.keys(breaks).sort()).toEqual(
      [
        'AMOUNT_MISMATCH/tx-mismatch',
        'DUPLICATE/tx-dup',
        'MISSING_IN_BOOKS/tx-not-booked',
        `MISSING_IN_BOOKS/${INJECTION}`,
        'MISSING_IN_STATEMENT/tx-unlisted',
      ].sort(),
    );
    expect(breaks['AMOUNT_MISMATCH/tx-mismatch']).toMatchObject({
      status: 'OPEN',
      statementRows: [{ line: '3', amount: '800', currency: 'RWF' }],
      bookRows: [{ paymentId: mismatched.data.paymentId, amountMinor: '700', currency: 'RWF' }],
    });
    expect(breaks['DUPLICATE/tx-dup'].statementRows.map((r: Json) => r.line)).toEqual(['4', '5']);
    expect(breaks['DUPLICATE/tx-dup'].bookRows).toHaveLength(1);
    expect(breaks['MISSING_IN_BOOKS/tx-not-booked']).toMatchObject({ bookRows: [], statementRows: [{ amount: '250' }] });
    expect(breaks['MISSING_IN_STATEMENT/tx-unlisted']).toMatchObject({
      statementRows: [],
      bookRows: [{ paymentId: unlisted.data.paymentId, transactionId: 'tx-unlisted', amountMinor: '300' }],
    });
    const onlyMismatch = await getJson(`/v1/breaks?type=AMOUNT_MISMATCH&status=OPEN`);
    expect(onlyMismatch.body.items.map((b: Json) => b.type)).toEqual(['AMOUNT_MISMATCH']);
    const [audit] = await h.query<{ operator_sub: string; subject: string }>(
      `select operator_sub, subject from ledger.operator_actions where action = 'statement.import'`,
    );
    expect(audit).toEqual({ operator_sub: 'mia-maker', subject: `statement:${first.statementId}` });
  });

  it('pages breaks with limit and cursor', async () => {
    const one = await getJson('/v1/breaks?limit=2');
    const two = await getJson(`/v1/breaks?limit=2&cursor=${one.body.nextCursor}`);
    const three = await getJson(`/v1/breaks?limit=2&cursor=${two.body.nextCursor}`);
    const ids = [...one.body.items, ...two.body.items, ...three.body.items].map((b: Json) => b.breakId);
    expect(new Set(ids).size).toBe(5);
    expect(three.body.nextCursor).toBeNull();
    expect((await getJson('/v1/breaks?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await getJson('/v1/breaks?type=NOPE')).status).toBe(400);
  });

  it('imports the same file again as the same answer, storing nothing new; the same lines as NDJSON add nothing', async () => {
    const before = await stored();
    const again = await post(statement, maker);
    expect(again).toEqual({ status: 200, body: first });
    expect(await stored()).toEqual(before);
    const ndjson = statement
      .split('\r\n')
      .slice(1)
      .map((l) => {
        const [providerId, transactionId, amount, currency, msisdn, time] = l.replace(/"/g, '').split(',');
        return `{"providerId":"${providerId}","transactionId":${JSON.stringify(transactionId)},"amount":${amount},"currency":"${currency}","msisdn":"${msisdn}","time":"${time}"}`;
      })
      .join('\n');
    const asNdjson = await post(ndjson, maker, 'application/x-ndjson');
    expect(asNdjson.status).toBe(200);
    expect(asNdjson.body).toMatchObject({ format: 'ndjson', lines: 6, breaks: [] });
    expect(await stored()).toEqual({ ...before, statements: before.statements + 1 });
  });

  it('refuses malformed CSV, wrong columns and invalid lines with the line and field, storing nothing', async () => {
    const before = await stored();
    const cases: [string, RegExp][] = [
      [`${header}\r\n${line('tx-a', '1')}\r\nps-200,"tx-b,2,RWF`, /line 3/],
      [`${header}\r\n${line('tx-a', '1')},extra`, /line 2/],
      [`providerId,transaction,amount,currency,msisdn,time\r\n${line('tx-a', '1')}`, /line 1: transactionId/],
      [`providerId,transactionId,amount\r\nps-200,tx-a,1`, /line 1: currency/],
      [`${header}\r\n${line('tx-a', '1')}\r\n${line('tx-b', '1.5')}`, /line 3: amount/],
      [`${header}\r\n${line('tx-a', '1')}\r\nps-200,tx-c,1,XXX,+250786474859,${at(1).toISOString()}`, /line 3: currency/],
      [`${header}\r\nps-200,tx-d,1,RWF,+250786474859,yesterday`, /line 2: time/],
      [header, /.*/],
      ['', /.*/],
    ];
    for (const [body, field] of cases) {
      const res = await post(body, maker);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST', message: expect.stringMatching(/nothing stored/) });
      expect(JSON.stringify(res.body.details ?? [res.body.message])).toMatch(field);
    }
    const ndjson = await post('{"providerId":"ps-200"\n', maker, 'application/x-ndjson');
    expect(ndjson.status).toBe(400);
    const unknownMember = await post(
      `{"providerId":"ps-200","transactionId":"t","amount":"1","currency":"RWF","msisdn":"+250786474859","time":"${at(1).toISOString()}","x":1}`,
      maker,
      'application/x-ndjson',
    );
    expect(unknownMember).toMatchObject({ status: 400, body: { details: [{ field: 'line 1: x' }] } });
    expect((await post(statement, maker, 'text/plain')).status).toBe(415);
    expect((await post(statement, maker, 'application/json')).status).toBe(400); // not JSON: refused by the JSON parser
    expect(await stored()).toEqual(before);
  });

  it('refuses a statement over STATEMENT_MAX_BYTES with 413, declared or streamed', async () => {
    const before = await stored();
    const huge = `${header}\r\n${Array.from({ length: 2000 }, (_, i) => line(`tx-huge-${i}`, '1')).join('\r\n')}`;
    expect(Buffer.byteLength(huge)).toBeGreaterThan(MAX_BYTES);
    const declared = await post(huge, maker);
    expect(declared).toMatchObject({ status: 413, body: { statusCode: 413, error: 'PAYLOAD_TOO_LARGE' } });
    const bytes = Buffer.from(huge);
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.subarray(i, i + 4096));
        controller.close();
      },
    });
    expect((await post(streamed, maker)).status).toBe(413);
    expect(await stored()).toEqual(before);
  });

  it('answers 401 without a token or with an expired or forged one, 403 for the wrong role', async () => {
    const expired = await operatorToken('mia-maker', ['maker'], -60);
    const forged = await forgedToken('mia-maker', ['maker']);
    const [, payload] = maker.split('.');
    const tampered = maker.replace(payload!, Buffer.from(JSON.stringify({ sub: 'x', roles: ['maker'] })).toString('base64url'));
    for (const token of [undefined, expired, forged, tampered, 'not-a-jwt']) {
      const res = await post(statement, token);
      expect(res).toMatchObject({ status: 401, body: { statusCode: 401, error: 'UNAUTHORIZED' } });
    }
    expect((await post(statement, viewer)).status).toBe(403);
    expect((await post(statement, checker)).status).toBe(403);
    for (const path of ['/v1/breaks', '/v1/breaks.csv', '/v1/breaks/summary']) {
      expect((await get(path, forged)).status).toBe(401);
      expect((await get(path, expired)).status).toBe(401);
    }
    const { body } = await getJson('/v1/breaks?type=DUPLICATE');
    expect((await close(body.items[0].breakId, { reason: 'seen by a viewer' }, viewer)).status).toBe(403);
  });

  it('exports breaks as CSV whose every cell is spreadsheet-safe', async () => {
    const res = await get('/v1/breaks.csv');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv/);
    const rows = parse(res.text) as string[][];
    expect(rows[0]).toEqual(expect.arrayContaining(['breakId', 'type', 'transactionId', 'statementRows', 'bookRows']));
    expect(rows).toHaveLength(6);
    const txColumn = rows[0]!.indexOf('transactionId');
    expect(rows.map((r) => r[txColumn])).toContain(`'${INJECTION}`);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const filtered = parse((await get(`/v1/breaks.csv?type=AMOUNT_MISMATCH`)).text) as string[][];
    expect(filtered).toHaveLength(2);
  });

  it('closes a break with a reason, once, audited; the summary counts what is still open', async () => {
    const before = await getJson('/v1/breaks/summary');
    expect(before.body.open).toEqual([
      { type: 'MISSING_IN_BOOKS', count: 2 },
      { type: 'MISSING_IN_STATEMENT', count: 1 },
      { type: 'AMOUNT_MISMATCH', count: 1 },
      { type: 'DUPLICATE', count: 1 },
      { type: 'AMBIGUOUS', count: 0 },
    ]);
    const target = (await getJson('/v1/breaks?type=AMOUNT_MISMATCH')).body.items[0].breakId as string;
    expect((await close(target, { reason: 'no' })).status).toBe(400);
    expect((await close(target, { reason: 'ok, fine', extra: 1 })).status).toBe(400);
    expect((await close('not-a-uuid', { reason: 'provider fee' })).status).toBe(400);
    expect((await close('018f0000-0000-7000-8000-000000000000', { reason: 'provider fee' })).status).toBe(404);
    const closed = await close(target, { reason: "provider's fee; drop table breaks" }, checker);
    expect(closed).toMatchObject({
      status: 200,
      body: { breakId: target, status: 'CLOSED', closedBy: 'carl-checker', closeReason: "provider's fee; drop table breaks" },
    });
    expect((await close(target, { reason: 'again' })).status).toBe(409);
    const audit = await h.query(`select operator_sub, operator_roles, reason from ledger.operator_actions where action = 'break.close'`);
    expect(audit).toEqual([{ operator_sub: 'carl-checker', operator_roles: ['checker'], reason: "provider's fee; drop table breaks" }]);
    const after = await getJson('/v1/breaks/summary');
    expect(after.body.open.find((o: Json) => o.type === 'AMOUNT_MISMATCH').count).toBe(0);
    expect((await getJson('/v1/breaks?status=CLOSED')).body.items.map((b: Json) => b.breakId)).toEqual([target]);
  });
});
