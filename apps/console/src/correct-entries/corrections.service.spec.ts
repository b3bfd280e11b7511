import type { Operator } from '@mm/platform';
import type { HttpException } from '@nestjs/common';
import type { ServicesClient, Upstream } from '../upstream/services.client';
import { CorrectionsService } from './corrections.service';

const ID = '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';

/** The ledger as the console sees it: a correction proposed by `maker`, and every call recorded. */
function fakeLedger(maker: string) {
  const calls: string[] = [];
  const services = {
    get: (_service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`GET ${path}`);
      return Promise.resolve({ status: 200, body: { id: ID, state: 'PROPOSED', makerId: maker } });
    },
    post: (_service: string, path: string, _operator: Operator, body: unknown): Promise<Upstream<unknown>> => {
      calls.push(`POST ${path} ${JSON.stringify(body)}`);
      return Promise.resolve({ status: 200, body: { id: ID, state: 'APPROVED' } });
    },
  };
  return { corrections: new CorrectionsService(services as unknown as ServicesClient), calls };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = (await promise.catch((e: unknown) => e)) as HttpException;
  return { status: error.getStatus(), message: error.message };
};

describe('CorrectionsService', () => {
  const alice: Operator = { sub: 'alice', roles: ['maker'] };
  const bob: Operator = { sub: 'bob', roles: ['checker'] };
  const carol: Operator = { sub: 'carol', roles: ['maker', 'checker'] };
  const victor: Operator = { sub: 'victor', roles: ['viewer'] };
  const draft = { eventId: 'e1', amount: { amountMinor: '50', currency: 'RWF' as const }, reason: 'duplicate' };

  it('refuses writes the roles do not allow before calling the ledger', async () => {
    const { corrections, calls } = fakeLedger('alice');
    expect(await refusal(corrections.propose(draft, victor))).toEqual({
      status: 403,
      message: 'only an operator with the maker role may propose a correction',
    });
    expect(await refusal(corrections.propose(draft, bob))).toMatchObject({ status: 403 });
    expect(await refusal(corrections.decide(ID, 'approve', {}, victor))).toEqual({
      status: 403,
      message: 'only an operator with the checker role may approve a correction',
    });
    expect(await refusal(corrections.decide(ID, 'reject', { reason: 'wrong' }, alice))).toMatchObject({ status: 403 });
    expect(calls).toEqual([]);
  });

  it('refuses a checker their own proposal, and never sends the decision', async () => {
    const { corrections, calls } = fakeLedger('carol');
    expect(await refusal(corrections.decide(ID, 'approve', {}, carol))).toEqual({
      status: 403,
      message: 'nobody may approve their own correction',
    });
    expect(await refusal(corrections.decide(ID, 'reject', { reason: 'changed my mind' }, carol))).toMatchObject({ status: 403 });
    expect(calls).toEqual([`GET /v1/corrections/${ID}`, `GET /v1/corrections/${ID}`]);
  });

  it("sends a maker's proposal to the ledger, and another maker's proposal's decision", async () => {
    const { corrections, calls } = fakeLedger('alice');
    await corrections.propose(draft, carol);
    expect(await corrections.decide(ID, 'reject', { reason: 'not a duplicate' }, carol)).toEqual({ id: ID, state: 'APPROVED' });
    await corrections.list({ state: 'PROPOSED' }, victor);
    expect(calls).toEqual([
      `POST /v1/corrections ${JSON.stringify(draft)}`,
      `GET /v1/corrections/${ID}`,
      `POST /v1/corrections/${ID}/reject {"reason":"not a duplicate"}`,
      'GET /v1/corrections?limit=50&state=PROPOSED',
    ]);
  });
});
