import type { BixiCallResult, BixiClient } from '../bixi/bixi-client';
import type { DebitConfig } from '../config';
import type { DebitMetrics } from '../debit.metrics';
import type { DebitCommand, DebitState } from './debit-command';
import type { DebitRepository, ReceiveResult } from './debit.repository';
import { ProcessDebitService } from './process-debit.service';

const command: DebitCommand = {
  commandId: '0192f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6',
  accountNumber: '252600000000',
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'R1',
  description: 'd',
  correlationId: 'c',
};
const approved = JSON.stringify({ data: { id: 'b1', attributes: { status: 'approved', currency: 'USD', amount: 1, charges: 0.03, total: 0.97 } } });

/** A repository fake that keeps one row's state the way the SQL does, and logs every call. */
function fakeRepository(initial: ReceiveResult) {
  const log: string[] = [];
  let state: DebitState | undefined = initial.kind === 'existing' ? initial.state : undefined;
  const repository: Partial<DebitRepository> = {
    receive: async (_c, _f, _r, claimFor) => {
      log.push('receive');
      if (initial.kind === 'new') state = claimFor ? 'SUBMITTING' : 'RECEIVED';
      return initial;
    },
    claim: async () => {
      log.push('claim');
      if (state !== 'RECEIVED') return false;
      state = 'SUBMITTING';
      return true;
    },
    release: async () => {
      log.push('release');
      state = 'RECEIVED';
      return true;
    },
    finish: async (_id, _owner, outcome) => {
      log.push(`finish:${outcome.state}`);
      state = outcome.state;
      return true;
    },
  };
  return { repository: repository as DebitRepository, log, state: () => state };
}

const metrics = new Proxy({}, { get: () => ({ inc: () => undefined, observe: () => undefined }) }) as unknown as DebitMetrics;
const config = { BIXI_CONNECT_RETRIES: 2, BIXI_RETRY_BACKOFF_MS: 1 } as DebitConfig;
const bixiAnswering = (...results: BixiCallResult[]) => {
  const calls: string[] = [];
  return { calls, client: { pay: async (_body: string, id: string) => (calls.push(id), results.shift()!) } as unknown as BixiClient };
};

describe('ProcessDebitService', () => {
  it('a new command is sent once and its outcome stored', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: true });
    const bixi = bixiAnswering({ kind: 'answered', status: 200, body: approved, truncated: false });
    const result = await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command);
    expect(result).toEqual({ kind: 'finished', state: 'APPROVED' });
    expect(bixi.calls).toEqual([command.commandId]);
    expect(repo.log).toEqual(['receive', 'finish:APPROVED']);
  });

  it.each(['SUBMITTING', 'APPROVED', 'UNKNOWN', 'FAILED'] as const)('a redelivery of a command in %s does not call Bixi', async (state) => {
    const repo = fakeRepository({ kind: 'existing', state, sameRequest: true });
    const bixi = bixiAnswering();
    expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).toEqual({ kind: 'duplicate', state });
    expect(bixi.calls).toHaveLength(0);
  });

  it('the same commandId with other content is a conflict, not a call', async () => {
    const repo = fakeRepository({ kind: 'existing', state: 'RECEIVED', sameRequest: false });
    const bixi = bixiAnswering();
    expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).toEqual({ kind: 'conflict' });
    expect(bixi.calls).toHaveLength(0);
  });

  it('a request that never left is retried after giving the claim back; an unanswered one is not', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: true });
    const bixi = bixiAnswering({ kind: 'not_sent', reason: 'ECONNREFUSED' }, { kind: 'no_answer', reason: 'timeout' }, { kind: 'answered', status: 200, body: approved, truncated: false });
    const result = await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command);
    expect(result).toEqual({ kind: 'finished', state: 'UNKNOWN' });
    expect(bixi.calls).toHaveLength(2);
    expect(repo.log).toEqual(['receive', 'release', 'claim', 'finish:UNKNOWN']);
  });

  it('gives up after BIXI_CONNECT_RETRIES with FAILED', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: true });
    const notSent = { kind: 'not_sent' as const, reason: 'ENOTFOUND' };
    const bixi = bixiAnswering(notSent, notSent, notSent);
    expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).toEqual({ kind: 'finished', state: 'FAILED' });
    expect(bixi.calls).toHaveLength(3);
  });

  it('a RECEIVED command claimed by another instance first is left alone', async () => {
    const repo = fakeRepository({ kind: 'existing', state: 'SUBMITTING', sameRequest: true });
    repo.repository.receive = async () => ({ kind: 'existing', state: 'RECEIVED', sameRequest: true });
    const bixi = bixiAnswering();
    expect((await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).kind).toBe('duplicate');
    expect(bixi.calls).toHaveLength(0);
  });
});
