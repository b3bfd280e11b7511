import { randomUUID } from 'node:crypto';
import { initialiseDataSource, OutboxHousekeepingService, OutboxMetrics, type OutboxFeatureOptions } from '@mm/platform';
import { createTestDatabase, createTestRole, queryError, queryOnce, type TestDatabase, type TestRole } from '@mm/testing';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { debitDataSourceOptions } from '../src/data-source';
import { requestFingerprint, validateDebitRequest, type DebitCommand } from '../src/debits/debit-command';
import { resultFor } from '../src/debits/debit-results';
import { debitCommand, pgDebitRepository } from './debit-harness';

/** Least privilege: the owner migrates; payment-debit serves as a role that moves commands forward and works its outbox. */
describe('payment-debit with separate migration and runtime roles', () => {
  let db: TestDatabase;
  let role: TestRole;
  let runtimeUrl: string;
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('debit_roles');
    role = await createTestRole('debit_rt');
    runtimeUrl = role.urlFor(db.url);
    dataSource = await initialiseDataSource(
      debitDataSourceOptions(
        { DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: db.url, DATABASE_SCHEMA: 'debit', DATABASE_POOL_SIZE: 2 },
        true,
      ),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop(); // with it every privilege the role held
    await role?.drop();
  });

  it('receives, claims and finishes a command through the real repository, marks its outbox row sent and purges it, as the runtime role', async () => {
    const validated = validateDebitRequest(debitCommand());
    if (!validated.ok) throw new Error(validated.reasons.join('; '));
    const command: DebitCommand = { ...validated.command, correlationId: randomUUID(), requestedAt: new Date().toISOString() };
    const owner = randomUUID();
    const repository = pgDebitRepository(dataSource!);
    expect(await repository.receive(command, requestFingerprint(command), undefined, owner)).toMatchObject({ kind: 'new', claimed: true });
    const outcome = { state: 'DECLINED' as const, reason: 'insufficient funds' };
    expect(await repository.finish(command.commandId, owner, outcome, resultFor(command, outcome))).toBe(true);
    expect(
      await queryError(runtimeUrl, `update debit.outbox set sent_at = now() - interval '1 hour' where sent_at is null`),
    ).toBeUndefined();
    const purgeConfig = { OUTBOX_RETENTION_HOURS: 0, OUTBOX_PURGE_BATCH_SIZE: 100, OUTBOX_PURGE_INTERVAL_MS: 60_000 };
    const housekeeping = new OutboxHousekeepingService(
      dataSource!,
      { config: purgeConfig } as OutboxFeatureOptions,
      new OutboxMetrics(new Registry(), dataSource!, 'debit'),
    );
    expect(await housekeeping.purge()).toBe(1);
    expect(await queryOnce(db.url, 'select state from debit.debit_commands')).toEqual([{ state: 'DECLINED' }]);
    expect(
      await queryOnce(
        db.url,
        `select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'debit'::regnamespace`,
      ),
    ).toEqual([{ owner: 'postgres' }]);
  });

  it.each([
    ['delete from debit.debit_commands'],
    ['truncate debit.outbox'],
    ['update debit.operator_actions set reason = null'],
    ['delete from debit.operator_actions'],
    ['delete from debit.resolution_proposals'],
    ['truncate debit.resolution_proposals'],
    ['truncate debit.debit_commands'],
    ['drop table debit.outbox'],
    ['alter table debit.debit_commands drop constraint debit_commands_state_check'],
    ['create table debit.shadow (id int)'],
    ['select count(*) from debit.migrations'],
  ])('the runtime role is refused: %s', async (statement) => {
    expect(await queryError(runtimeUrl, statement)).toMatchObject({ code: '42501' });
  });
});
