import { createTestDatabase, queryOnce, waitFor, type RunningService, type TestDatabase } from '@mm/testing';
import { debitCommand, observe, publishCommands, startDebit, startSandbox, waitForResult, type Observed } from './debit-harness';

/** payment-debit's outbox is purged like ingest's: published rows past retention go, its commands stay. */
describe('payment-debit outbox housekeeping', () => {
  let db: TestDatabase;
  let sandbox: RunningService;
  let debit: RunningService;
  let o: Observed;
  const outbox = (where: string) =>
    queryOnce<{ n: number }>(db.url, `select count(*)::int as n from debit.outbox where ${where}`).then((r) => r[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase('debit_purge');
    sandbox = await startSandbox();
    [debit, o] = await Promise.all([
      startDebit(db.url, sandbox.url, { OUTBOX_RETENTION_HOURS: '1', OUTBOX_PURGE_BATCH_SIZE: '7', OUTBOX_PURGE_INTERVAL_MS: '200' }),
      observe(),
    ]);
  });
  afterAll(async () => {
    await o?.close();
    await Promise.allSettled([debit?.stop(), sandbox?.stop()]);
    await db?.drop();
  });

  it('deletes rows published longer ago than the retention and keeps recent ones and the commands', async () => {
    // Already published (sent_at set), so the relay leaves them alone; only their age differs.
    await queryOnce(
      db.url,
      `insert into debit.outbox (event_id, topic, message_key, payload, headers, created_at, sent_at)
       select gen_random_uuid(), case when i <= 23 then 'purge-old' else 'purge-recent' end, 'k', '{}', '{}', now() - interval '3 hours',
              case when i <= 23 then now() - interval '2 hours' else now() - interval '10 minutes' end
         from generate_series(1, 28) as i`,
    );
    const command = debitCommand();
    await publishCommands(o.producer, [command]);
    expect((await waitForResult(o, command.commandId)).type).toBe('mm.debit.approved.v1');

    await waitFor(async () => ((await outbox(`topic = 'purge-old'`)) === 0 ? true : undefined), 20_000, 100);
    expect(await outbox(`topic = 'purge-recent'`)).toBe(5);
    expect(await outbox(`payload::jsonb->>'subject' = '${command.commandId}' and sent_at is not null`)).toBe(1);
    expect(await queryOnce(db.url, 'select state from debit.debit_commands where command_id = $1', [command.commandId])).toEqual([
      { state: 'APPROVED' },
    ]);
    const metrics = await (await fetch(`${debit.url}/metrics`)).text();
    expect(metrics).toMatch(/^debit_outbox_purged_total 23$/m);
    expect(metrics).toMatch(/^debit_outbox_published_total 1$/m);
    expect(metrics).toMatch(/^debit_outbox_backlog 0$/m);
  });
});
