import { createEnvelope, DEBIT_REQUESTED, deadLetterMessage, dlqTopic, ServiceNames, toKafkaMessage, Topics } from '@mm/contracts';
import {
  createTestDatabase,
  metricValue,
  queryOnce,
  scrapeMetrics,
  testTopic,
  waitFor,
  type RunningService,
  type TestDatabase,
} from '@mm/testing';
import { debitCommand, observe, publishRaw, sandboxCalls, startDebit, startSandbox, waitForResult, type Observed } from './debit-harness';
import { asOperator, operatorToken } from './resolution-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test
type Letter = { id: string; state: string; reason: string; eventId: string | null; key: string | null };

/** payment-debit's dead letters: poison → its DLQ → its inbox → a checker's replay → consumed again, never debited twice. */
describe('payment-debit dead letters', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;
  const t: Record<string, string> = {};
  const commandTopic = testTopic(Topics.DebitRequested);

  const letters = async (query = ''): Promise<Letter[]> =>
    ((await (await asOperator(debit, t.viewer, `/v1/dead-letters${query}`)).json()) as { items: Letter[] }).items;
  const letterWithKey = (key: string) => waitFor(async () => (await letters('?state=open')).find((l) => l.key === key), 30_000);
  const replay = (id: string, token = t.checker, body: unknown = { reason: 'cause fixed, replaying' }) =>
    asOperator(debit, token, `/v1/dead-letters/${id}/replay`, body);
  /** A command refused for a reason that has gone (as if the database had refused it): written to the DLQ as the consumer does. */
  const deadLetterCommand = async (command: ReturnType<typeof debitCommand>, offset: string) => {
    const event = createEnvelope({
      type: DEBIT_REQUESTED,
      source: 'mm/test',
      subject: command.commandId,
      data: command,
      correlationId: 'c',
    });
    const original = toKafkaMessage(event as never, command.accountNumber);
    const letter = deadLetterMessage(
      { topic: commandTopic, partition: 0, offset, key: command.accountNumber, value: Buffer.from(String(original.value)) },
      'refused by the database: connection reset',
    );
    await o.producer.send({ topic: testTopic(dlqTopic(ServiceNames.Debit)), acks: -1, messages: [letter] });
  };

  beforeAll(async () => {
    db = await createTestDatabase('debit_dead_letters');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([startDebit(db.url, sandbox.url), observe()]);
    t.viewer = await operatorToken('vic.viewer', ['viewer']);
    t.maker = await operatorToken('mia.maker', ['maker']);
    t.checker = await operatorToken('carl.checker', ['checker']);
  });

  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('a poison command lands in the inbox; anonymous 401, maker 403, short reason 400; a replay is consumed again (dead-lettered anew)', async () => {
    await publishRaw(o.producer, '{"not": "a command"', 'dlq-poison');
    const letter = await letterWithKey('dlq-poison');
    expect(letter.reason).toMatch(/invalid JSON/);
    expect(metricValue(await scrapeMetrics(debit.url), 'dead_letters_open')).toBe(1);
    expect((await asOperator(debit, undefined, '/v1/dead-letters')).status).toBe(401);
    expect((await replay(letter.id, '')).status).toBe(401);
    expect((await replay(letter.id, t.maker)).status).toBe(403);
    expect((await replay(letter.id, t.checker, { reason: '' })).status).toBe(400);
    expect((await replay('424242')).status).toBe(404);
    expect((await replay(letter.id)).status).toBe(200);
    expect((await replay(letter.id)).status).toBe(409);
    const again = await waitFor(async () => (await letters('?state=open')).find((l) => l.key === 'dlq-poison'), 30_000);
    expect(again.id).not.toBe(letter.id);
    const detail = (await (await asOperator(debit, t.viewer, `/v1/dead-letters/${again.id}`)).json()) as Json;
    expect(detail.headers).toMatchObject({ mm_replay_of: `payment-debit:${letter.id}` });
    expect(detail.value).toBe('{"not": "a command"');
  });

  it('replays a refused command: debited once; replaying a command already debited calls Bixi no second time', async () => {
    const late = debitCommand();
    await deadLetterCommand(late, '7');
    const lateLetter = await letterWithKey(late.accountNumber);
    expect((await replay(lateLetter.id)).status).toBe(200);
    expect((await waitForResult(o, late.commandId)).type).toBe('mm.debit.approved.v1');

    const done = debitCommand({ accountNumber: '+252611000077' });
    await o.producer.send({
      topic: commandTopic,
      acks: -1,
      messages: [
        toKafkaMessage(
          createEnvelope({ type: DEBIT_REQUESTED, source: 'mm/test', subject: done.commandId, data: done, correlationId: 'c' }) as never,
          done.accountNumber,
        ),
      ],
    });
    expect((await waitForResult(o, done.commandId)).type).toBe('mm.debit.approved.v1');
    await deadLetterCommand(done, '8');
    expect((await replay((await letterWithKey(done.accountNumber)).id)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000)); // time for the replayed command to be consumed
    expect(await sandboxCalls(sandbox, { receiptId: done.receiptId })).toHaveLength(1);
    expect(await sandboxCalls(sandbox, { receiptId: late.receiptId })).toHaveLength(1);
    const [row] = await queryOnce<{ n: number }>(
      db.url,
      `select count(*)::int as n from debit.operator_actions where action = 'dead-letter.replay'`,
    );
    expect(row?.n).toBe(3);
  });
});
