import { randomUUID } from 'node:crypto';
import { ApiErrorSchema, type ApiError } from '@mm/contracts';
import { createTestDatabase, type RunningService, type TestDatabase } from '@mm/testing';
import { api, debitCommand, observe, sandboxCalls, startDebit, startSandbox, waitForResult, type Observed } from './debit-harness';

/** Every error is the shared body `{statusCode, error, message, details?}`, as JSON, with the answer's status. */
async function apiError(res: Response, status: number): Promise<ApiError> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = ApiErrorSchema.strict().parse(await res.json());
  expect(body.statusCode).toBe(status);
  return body;
}
const named = (body: ApiError) => (body.details ?? []).map((d) => `${d.field}: ${d.message}`).join(' ');

/** POST /v1/debits, GET /v1/debits/:commandId and GET /v1/debits?state=… against the running service. */
describe('payment-debit HTTP API', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;

  beforeAll(async () => {
    db = await createTestDatabase('debit_http');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url), observe()]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    api(debit, '/v1/debits', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });

  it('accepts a command keyed by its Idempotency-Key with 202 and its commandId, publishes it, and the debit is approved once', async () => {
    const { commandId: key, ...command } = debitCommand();
    const res = await post(command, { 'X-Correlation-Id': 'http-corr-1', 'Idempotency-Key': key });
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const accepted = (await res.json()) as { commandId: string; state: string };
    expect(accepted).toEqual({ commandId: key, state: 'RECEIVED' });
    const result = await waitForResult(o, accepted.commandId);
    expect(result.type).toBe('mm.debit.approved.v1');
    expect(result.correlationid).toBe('http-corr-1');
    const stored = await (await api(debit, `/v1/debits/${accepted.commandId}`)).json();
    expect(stored).toMatchObject({
      commandId: accepted.commandId,
      state: 'APPROVED',
      accountNumber: '252611000001',
      amount: { amountMinor: '100', currency: 'USD' },
    });
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
  });

  it('is idempotent on a client-supplied commandId; the same id with other content is 409', async () => {
    const command = debitCommand();
    const first = await post(command);
    expect(first.status).toBe(202);
    await waitForResult(o, command.commandId);
    const again = await post(command);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ commandId: command.commandId, state: 'RECEIVED' });
    const changed = await post({ ...command, amount: { amountMinor: '200', currency: 'USD' } });
    expect(await apiError(changed, 409)).toMatchObject({ error: 'CONFLICT', message: expect.stringContaining(command.commandId) });
    await new Promise((r) => setTimeout(r, 500));
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
    expect(o.results.filter((m) => String(m.value).includes(command.commandId))).toHaveLength(1);
  });

  it('the same POST sent twice (a client retry after a timeout), together or one after the other, is one command and one Bixi call', async () => {
    const { commandId: key, ...command } = debitCommand();
    const send = () => post(command, { 'Idempotency-Key': key });
    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    const answers = [first, second, third];
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(bodies).toEqual([0, 1, 2].map(() => ({ commandId: key, state: 'RECEIVED' })));
    expect(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    await waitForResult(o, key);
    const fourth = await send();
    expect(fourth.status).toBe(202);
    expect(await fourth.json()).toEqual({ commandId: key, state: 'RECEIVED' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(1);
    expect(o.results.filter((m) => String(m.value).includes(key))).toHaveLength(1);
    const changed = await post({ ...command, description: 'another bill' }, { 'Idempotency-Key': key });
    expect(changed.status).toBe(409);
  });

  it.each([
    ['neither commandId nor Idempotency-Key', (c: Record<string, unknown>) => ({ ...c, commandId: undefined }), {}, 'commandId'],
    [
      'an Idempotency-Key that is not a UUID',
      (c: Record<string, unknown>) => ({ ...c, commandId: undefined }),
      { 'Idempotency-Key': 'retry-1' },
      'Idempotency-Key',
    ],
    [
      'a commandId and an Idempotency-Key that differ',
      (c: Record<string, unknown>) => c,
      { 'Idempotency-Key': randomUUID() },
      'Idempotency-Key',
    ],
  ])('refuses %s with 400 naming it, and stores nothing', async (_name, change, headers, field) => {
    const command = debitCommand();
    const res = await post(change(command as unknown as Record<string, unknown>), headers);
    const body = await apiError(res, 400);
    expect(body.error).toBe('BAD_REQUEST');
    expect(named(body)).toContain(field);
    expect((await api(debit, `/v1/debits/${command.commandId}`)).status).toBe(404);
  });

  it('accepts the same UUID as commandId and Idempotency-Key, in any case', async () => {
    const command = debitCommand();
    const res = await post(command, { 'Idempotency-Key': command.commandId.toUpperCase() });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ commandId: command.commandId, state: 'RECEIVED' });
  });

  it('accepts expiresAt, and a command already past it is EXPIRED without a Bixi call', async () => {
    const command = debitCommand({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await post(command)).status).toBe(202);
    expect((await waitForResult(o, command.commandId)).type).toBe('mm.debit.expired.v1');
    expect(await sandboxCalls(sandbox, { receiptId: command.receiptId })).toHaveLength(0);
    expect((await post({ ...command, expiresAt: 'soon' })).status).toBe(400);
  });

  it.each([
    ['a decimal amount', { amount: { amountMinor: '1.001', currency: 'USD' } }, 'amount'],
    ['a float amount', { amount: 1.5 }, 'amount'],
    ['a negative amount', { amount: { amountMinor: '-100', currency: 'USD' } }, 'amount'],
    ['another currency', { amount: { amountMinor: '100', currency: 'EUR' } }, 'amount'],
    ['a long receiptId', { receiptId: 'ABCDEFGHIJKL' }, 'receiptId'],
    ['a bad accountType', { accountType: 'MMT' }, 'accountType'],
    ['a bad account', { accountNumber: '+00' }, 'accountNumber'],
    ['a bad commandId', { commandId: 'not-a-uuid' }, 'commandId'],
    ['a script in the description position', { description: 42 }, 'description'],
  ])('refuses %s with 400 naming the field', async (_name, change, field) => {
    const res = await post({ ...debitCommand(), ...change });
    const body = await apiError(res, 400);
    expect(body.details?.map((d) => d.field)).toContain(field);
    expect(named(body)).toContain(field);
  });

  it('refuses bodies that are not a command object, with the shared error body', async () => {
    expect((await post('[]')).status).toBe(400);
    expect((await post('"debit"')).status).toBe(400);
    expect(await apiError(await post('{"commandId":'), 400)).toMatchObject({
      error: 'BAD_REQUEST',
      message: expect.stringMatching(/JSON/),
    });
    expect(await apiError(await post({ ...debitCommand(), description: 'x'.repeat(20_000) }), 413)).toMatchObject({
      error: 'PAYLOAD_TOO_LARGE',
    });
    const xml = await post('<debit/>', { 'Content-Type': 'application/xml' });
    expect(await apiError(xml, 415)).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers an unknown route with the shared error body', async () => {
    expect(await apiError(await api(debit, '/v1/credits'), 404)).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('requires the API key on every route', async () => {
    for (const [path, init] of [
      ['/v1/debits', { method: 'POST', body: JSON.stringify(debitCommand()) }],
      [`/v1/debits/${randomUUID()}`, {}],
      ['/v1/debits?state=UNKNOWN', {}],
    ] as const) {
      const missing = await apiError(await fetch(`${debit.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json' } }), 401);
      expect(missing).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'X-API-Key is missing or wrong' });
      expect(
        await apiError(
          await fetch(`${debit.url}${path}`, {
            ...init,
            headers: { 'Content-Type': 'application/json', 'X-API-Key': 'wrong-key-wrong-key' },
          }),
          401,
        ),
      ).toEqual(missing);
    }
  });

  it('answers 400 for a malformed commandId, 404 for an unknown one, 400 for an unknown state, limit, cursor or parameter', async () => {
    expect(named(await apiError(await api(debit, '/v1/debits/not-a-uuid'), 400))).toContain('commandId');
    const unknown = randomUUID();
    expect(await apiError(await api(debit, `/v1/debits/${unknown}`), 404)).toMatchObject({
      error: 'NOT_FOUND',
      message: expect.stringContaining(unknown),
    });
    expect(named(await apiError(await api(debit, '/v1/debits?state=PAID'), 400))).toContain('state');
    expect(named(await apiError(await api(debit, '/v1/debits'), 400))).toContain('state');
    expect(named(await apiError(await api(debit, '/v1/debits?state=APPROVED&limit=100000'), 400))).toContain('limit');
    expect(named(await apiError(await api(debit, "/v1/debits?state=APPROVED&cursor=' or 1=1 --"), 400))).toContain('cursor');
    expect(named(await apiError(await api(debit, `/v1/debits?state=APPROVED&after=${randomUUID()}`), 400))).toContain('after');
  });

  it('pages the list by an opaque cursor, null on the last page', async () => {
    type Listed = { items: Array<{ commandId: string }>; nextCursor: string | null };
    const page1 = (await (await api(debit, '/v1/debits?state=APPROVED&limit=1')).json()) as Listed;
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (await (await api(debit, `/v1/debits?state=APPROVED&limit=1&cursor=${page1.nextCursor}`)).json()) as Listed;
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.commandId > page1.items[0]!.commandId).toBe(true);
    const all = (await (await api(debit, '/v1/debits?state=APPROVED&limit=500')).json()) as Listed;
    expect(all.nextCursor).toBeNull();
  });
});
