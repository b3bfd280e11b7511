import { createTestDatabase, type TestDatabase } from '@mm/testing';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { createOperatorActionsTable, listOperatorActions, recordOperatorAction } from './operator-actions';

describe('operator actions (the audit trail)', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('mm_test_operator_actions');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await createOperatorActionsTable(client as unknown as QueryRunner);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('stores who, when, what and why, and lists them newest first with filters and pages', async () => {
    const alice = { sub: 'alice', roles: ['maker' as const] };
    const bob = { sub: 'bob', roles: ['checker' as const] };
    await recordOperatorAction(client, {
      operator: alice,
      action: 'resolution.propose',
      subject: 'debit:1',
      reason: 'statement line 7',
      details: { outcome: 'DEBITED' },
    });
    await recordOperatorAction(client, { operator: bob, action: 'resolution.approve', subject: 'debit:1', correlationId: 'c-1' });
    await recordOperatorAction(client, { operator: alice, action: 'break.close', subject: 'break:9', reason: "it's a test; drop table x" });

    const all = await listOperatorActions(client, { limit: 10 });
    expect(all.map((a) => [a.operator, a.action, a.subject])).toEqual([
      ['alice', 'break.close', 'break:9'],
      ['bob', 'resolution.approve', 'debit:1'],
      ['alice', 'resolution.propose', 'debit:1'],
    ]);
    expect(all[2]).toMatchObject({ roles: ['maker'], reason: 'statement line 7', details: { outcome: 'DEBITED' }, correlationId: null });
    expect(all[0]!.reason).toBe("it's a test; drop table x");
    expect(all[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    expect((await listOperatorActions(client, { subject: 'debit:1', limit: 10 })).map((a) => a.action)).toEqual([
      'resolution.approve',
      'resolution.propose',
    ]);
    expect((await listOperatorActions(client, { operator: 'bob', limit: 10 })).map((a) => a.action)).toEqual(['resolution.approve']);
    const firstPage = await listOperatorActions(client, { limit: 1 });
    expect(firstPage).toHaveLength(2); // one extra row: a next page exists
    const next = await listOperatorActions(client, { limit: 5, before: { at: firstPage[0]!.at, id: firstPage[0]!.id } });
    expect(next.map((a) => a.action)).toEqual(['resolution.approve', 'resolution.propose']);
  });

  it('refuses an action without an operator or with an oversized subject (checked by the table too)', async () => {
    await expect(recordOperatorAction(client, { operator: { sub: '', roles: ['maker'] }, action: 'x', subject: 'y' })).rejects.toThrow(
      /operator_sub/,
    );
    await expect(
      recordOperatorAction(client, { operator: { sub: 'a', roles: ['maker'] }, action: 'x', subject: 'y'.repeat(300) }),
    ).rejects.toThrow(/subject/);
  });
});
