import type { Operator } from '@mm/platform';
import { HttpException } from '@nestjs/common';
import type { ServicesClient, Upstream } from '../upstream/services.client';
import { passThrough, ResolutionsService } from './resolutions.service';

const PROPOSAL_ID = '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
const COMMAND_ID = '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

/** payment-debit as the console sees it: a proposal by `maker`, and every call recorded. */
function fakeServices(maker: string) {
  const calls: string[] = [];
  const services = {
    get: (_service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`GET ${path}`);
      return Promise.resolve({ status: 200, body: { proposalId: PROPOSAL_ID, commandId: COMMAND_ID, makerId: maker } });
    },
    post: (_service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`POST ${path}`);
      return Promise.resolve({ status: 200, body: { proposalId: PROPOSAL_ID, state: 'APPROVED' } });
    },
  };
  return { resolutions: new ResolutionsService(services as unknown as ServicesClient), calls };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = (await promise.catch((e: unknown) => e)) as HttpException;
  return { status: error.getStatus(), message: error.message };
};

describe('ResolutionsService', () => {
  const alice: Operator = { sub: 'alice', roles: ['maker'] };
  const bob: Operator = { sub: 'bob', roles: ['checker'] };
  const carol: Operator = { sub: 'carol', roles: ['maker', 'checker'] };
  const victor: Operator = { sub: 'victor', roles: ['viewer'] };
  const draft = { outcome: 'NOT_DEBITED', reason: 'nothing was taken', evidence: 'Bixi support call' } as const;

  it('refuses writes the roles do not allow before calling payment-debit', async () => {
    const { resolutions, calls } = fakeServices('alice');
    expect(await refusal(resolutions.propose(COMMAND_ID, draft, victor))).toEqual({
      status: 403,
      message: 'only an operator with the maker role may propose an outcome',
    });
    expect(await refusal(resolutions.propose(COMMAND_ID, draft, bob))).toMatchObject({ status: 403 });
    expect(await refusal(resolutions.decide(PROPOSAL_ID, 'approve', {}, victor))).toMatchObject({ status: 403 });
    expect(await refusal(resolutions.decide(PROPOSAL_ID, 'reject', { reason: 'wrong' }, alice))).toMatchObject({ status: 403 });
    expect(calls).toEqual([]);
  });

  it('refuses a checker their own proposal, and never sends the decision', async () => {
    const { resolutions, calls } = fakeServices('carol');
    expect(await refusal(resolutions.decide(PROPOSAL_ID, 'approve', {}, carol))).toEqual({
      status: 403,
      message: 'nobody may approve their own proposal',
    });
    expect(await refusal(resolutions.decide(PROPOSAL_ID, 'reject', { reason: 'changed my mind' }, carol))).toMatchObject({ status: 403 });
    expect(calls).toEqual([`GET /v1/resolutions/${PROPOSAL_ID}`, `GET /v1/resolutions/${PROPOSAL_ID}`]);
  });

  it("sends another maker's proposal's decision to payment-debit", async () => {
    const { resolutions, calls } = fakeServices('alice');
    expect(await resolutions.decide(PROPOSAL_ID, 'approve', {}, carol)).toEqual({ proposalId: PROPOSAL_ID, state: 'APPROVED' });
    expect(calls).toEqual([`GET /v1/resolutions/${PROPOSAL_ID}`, `POST /v1/resolutions/${PROPOSAL_ID}/approve`]);
  });
});

describe('passThrough', () => {
  it("keeps a service's 4xx with its message and details, and makes anything else a 502", () => {
    const thrown = (upstream: Upstream<unknown>) => {
      try {
        passThrough(upstream, 'payment-debit');
        return undefined;
      } catch (error) {
        return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
      }
    };
    expect(passThrough({ status: 201, body: { ok: true } }, 'payment-debit')).toEqual({ ok: true });
    expect(
      thrown({ status: 409, body: { message: 'the debit is not UNKNOWN', details: [{ field: 'state', message: 'APPROVED' }] } }),
    ).toEqual({
      status: 409,
      body: { message: 'the debit is not UNKNOWN', details: [{ field: 'state', message: 'APPROVED' }] },
    });
    expect(thrown({ status: 401, body: { message: 'bad token' } })).toMatchObject({ status: 502 });
    expect(thrown({ status: 500, body: {} })).toMatchObject({ status: 502 });
    expect(thrown({ status: 'unavailable' })).toMatchObject({ status: 502 });
  });
});
