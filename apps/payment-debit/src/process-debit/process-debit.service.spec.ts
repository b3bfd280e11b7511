import type { BixiClient } from '../bixi/bixi-client';
import type { BixiCallResult } from '../debits/bixi-outcome';
import type { DebitConfig } from '../config';
import type { DebitMetrics } from '../debit.metrics';
import type { DebitCommand, DebitState } from '../debits/debit-command';
import type { DebitRepository, ReceiveResult } from '../debits/debit.repository';
import { ProcessDebitService } from './process-debit.service';

const command: DebitCommand = {
  commandId: '0192f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6',
  accountNumber: '252600000000',
  accountType: 'mmt',
  amount: { amountMinor: '100', currency: 'USD' },
  receiptId: 'R1',
  description: 'd',
  requestedAt: new Date().toISOString(),
  correlationId: 'c',
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const approved = JSON.stringify({
  data: { id: 'b1', attributes: { status: 'approved', currency: 'USD', amount: 1, charges: 0.03, total: 0.97 } },
});

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
    resolveLate: async (_id, _owner, outcome, resolution) => {
      log.push(`resolveLate:${outcome.state}:${resolution.event.type}`);
      if (state !== 'UNKNOWN') return false;
      state = outcome.state;
      return true;
    },
    expire: async (_c, _f, deadline, _reason, result) => {
      log.push(`expire:${deadline.toISOString()}:${result.event.type}`);
      if (initial.kind === 'existing' && state !== 'RECEIVED') return { kind: 'existing', state: state!, sameRequest: initial.sameRequest };
      state = 'EXPIRED';
      return { kind: 'expired' };
    },
  };
  return { repository: repository as DebitRepository, log, state: () => state };
}

const metrics = new Proxy({}, { get: () => ({ inc: () => undefined, observe: () => undefined }) }) as unknown as DebitMetrics;
const config = { BIXI_CONNECT_RETRIES: 2, BIXI_RETRY_BACKOFF_MS: 1, DEBIT_MAX_COMMAND_AGE_MS: 15 * 60_000 } as DebitConfig;
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
    expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).toEqual({
      kind: 'duplicate',
      state,
    });
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
    const bixi = bixiAnswering(
      { kind: 'not_sent', reason: 'ECONNREFUSED' },
      { kind: 'no_answer', reason: 'timeout' },
      { kind: 'answered', status: 200, body: approved, truncated: false },
    );
    const result = await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command);
    expect(result).toEqual({ kind: 'finished', state: 'UNKNOWN' });
    expect(bixi.calls).toHaveLength(2);
    expect(repo.log).toEqual(['receive', 'release', 'claim', 'finish:UNKNOWN']);
  });

  it('gives up after BIXI_CONNECT_RETRIES with FAILED', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: true });
    const notSent = { kind: 'not_sent' as const, reason: 'ENOTFOUND' };
    const bixi = bixiAnswering(notSent, notSent, notSent);
    expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).toEqual({
      kind: 'finished',
      state: 'FAILED',
    });
    expect(bixi.calls).toHaveLength(3);
  });

  it('a RECEIVED command claimed by another instance first is left alone', async () => {
    const repo = fakeRepository({ kind: 'existing', state: 'SUBMITTING', sameRequest: true });
    repo.repository.receive = async () => ({ kind: 'existing', state: 'RECEIVED', sameRequest: true });
    const bixi = bixiAnswering();
    expect((await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command)).kind).toBe('duplicate');
    expect(bixi.calls).toHaveLength(0);
  });

  it('a command the claim finds over a debit limit is DECLINED with its result, and Bixi is not called', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: false });
    const declined: string[] = [];
    repo.repository.claim = async (_id, _owner, overLimit) => {
      const result = overLimit!('LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms');
      declined.push(`${result.event.type}:${(result.event as { data: { reason: string } }).data.reason}`);
      return { limitExceeded: { scope: 'perAccount', measure: 'maxCount', used: '3', limit: '2' }, reason: 'LIMIT_EXCEEDED: …' };
    };
    const bixi = bixiAnswering();
    const result = await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command);
    expect(result).toEqual({ kind: 'finished', state: 'DECLINED' });
    expect(declined).toEqual(['mm.debit.declined.v1:LIMIT_EXCEEDED: perAccount.maxCount 3/2 within 60000 ms']);
    expect(bixi.calls).toHaveLength(0);
  });

  it('an answer that arrives after the sweep reported the call UNKNOWN is offered as its resolution, not dropped', async () => {
    const repo = fakeRepository({ kind: 'new', claimed: true });
    const bixi = bixiAnswering({ kind: 'answered', status: 200, body: approved, truncated: false });
    // The sweep took the claim while Bixi held the call: finishing finds no SUBMITTING row of ours.
    repo.repository.finish = async () => (repo.log.push('finish:claim-lost'), false);
    await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(command);
    expect(repo.log).toEqual(['receive', 'finish:claim-lost', 'resolveLate:APPROVED:mm.debit.outcome-resolved.v1']);
    expect(bixi.calls).toHaveLength(1);
  });

  describe('deadlines', () => {
    it('a command older than DEBIT_MAX_COMMAND_AGE_MS is EXPIRED without a Bixi call', async () => {
      const repo = fakeRepository({ kind: 'new', claimed: true });
      const bixi = bixiAnswering();
      const old = { ...command, requestedAt: minutesAgo(16) };
      expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle(old)).toEqual({
        kind: 'finished',
        state: 'EXPIRED',
      });
      expect(bixi.calls).toHaveLength(0);
      expect(repo.log).toEqual([`expire:${new Date(Date.parse(old.requestedAt) + 15 * 60_000).toISOString()}:mm.debit.expired.v1`]);
    });

    it("the sender's earlier expiresAt wins over the maximum age", async () => {
      const repo = fakeRepository({ kind: 'new', claimed: true });
      const bixi = bixiAnswering();
      const expiresAt = minutesAgo(1);
      expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle({ ...command, expiresAt })).toEqual({
        kind: 'finished',
        state: 'EXPIRED',
      });
      expect(repo.log).toEqual([`expire:${expiresAt}:mm.debit.expired.v1`]);
      expect(bixi.calls).toHaveLength(0);
    });

    it('a fresh command with a later expiresAt is sent', async () => {
      const repo = fakeRepository({ kind: 'new', claimed: true });
      const bixi = bixiAnswering({ kind: 'answered', status: 200, body: approved, truncated: false });
      const expiresAt = new Date(Date.now() + 60_000).toISOString();
      expect(await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle({ ...command, expiresAt })).toEqual({
        kind: 'finished',
        state: 'APPROVED',
      });
      expect(bixi.calls).toHaveLength(1);
    });

    it('a redelivered expired command is a duplicate: nothing new stored or published', async () => {
      const repo = fakeRepository({ kind: 'existing', state: 'EXPIRED', sameRequest: true });
      const bixi = bixiAnswering();
      expect(
        await new ProcessDebitService(repo.repository, bixi.client, config, metrics).handle({ ...command, requestedAt: minutesAgo(60) }),
      ).toEqual({ kind: 'duplicate', state: 'EXPIRED' });
      expect(bixi.calls).toHaveLength(0);
    });

    it('a command whose deadline passes while it waits to retry a refused connection is EXPIRED, not sent again', async () => {
      const repo = fakeRepository({ kind: 'new', claimed: true });
      const bixi = bixiAnswering({ kind: 'not_sent', reason: 'ECONNREFUSED' });
      const expiresAt = new Date(Date.now() + 30).toISOString();
      const slow = { ...config, BIXI_RETRY_BACKOFF_MS: 60 } as DebitConfig;
      expect(await new ProcessDebitService(repo.repository, bixi.client, slow, metrics).handle({ ...command, expiresAt })).toEqual({
        kind: 'finished',
        state: 'EXPIRED',
      });
      expect(bixi.calls).toHaveLength(1);
      expect(repo.log).toEqual(['receive', 'release', `expire:${expiresAt}:mm.debit.expired.v1`]);
    });
  });
});
