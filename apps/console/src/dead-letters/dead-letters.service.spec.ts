import type { Operator } from '@mm/platform';
import type { HttpException } from '@nestjs/common';
import type { ServicesClient, Upstream } from '../upstream/services.client';
import { DeadLettersService } from './dead-letters.service';

const letter = (id: string, receivedAt: string) => ({ id, state: 'open', reason: 'invalid event', receivedAt });

/** The ledger and payment-debit as the console sees them, every call recorded; payment-debit may be down. */
function fakeServices(debitDown = false) {
  const calls: string[] = [];
  const services = {
    get: (service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`GET ${service} ${path}`);
      if (service === 'payment-debit' && debitDown) return Promise.resolve({ status: 'unavailable' });
      const items = service === 'ledger' ? [letter('1', '2026-12-06T10:00:00Z')] : [letter('7', '2026-12-06T11:00:00Z')];
      return Promise.resolve({ status: 200, body: { items, nextCursor: null } });
    },
    post: (service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`POST ${service} ${path}`);
      return Promise.resolve({ status: 409, body: { message: 'dead letter 7 was already replayed' } });
    },
  };
  return { deadLetters: new DeadLettersService(services as unknown as ServicesClient), calls };
}

describe('DeadLettersService', () => {
  const bob: Operator = { sub: 'bob', roles: ['checker'] };
  const alice: Operator = { sub: 'alice', roles: ['maker'] };
  const victor: Operator = { sub: 'victor', roles: ['viewer'] };

  it("lists both services' letters newest first, each marked with its service, and names a service that did not answer", async () => {
    const { deadLetters, calls } = fakeServices();
    const { items, unavailable } = await deadLetters.list('open', victor);
    expect(items.map((l) => `${l.service}:${l.id}`)).toEqual(['payment-debit:7', 'ledger:1']);
    expect(unavailable).toEqual([]);
    expect(calls).toEqual(['GET ledger /v1/dead-letters?limit=100&state=open', 'GET payment-debit /v1/dead-letters?limit=100&state=open']);
    expect((await fakeServices(true).deadLetters.list(undefined, victor)).unavailable).toEqual(['payment-debit']);
  });

  it('refuses a replay by anyone but a checker before calling the service', async () => {
    for (const operator of [alice, victor]) {
      const { deadLetters, calls } = fakeServices();
      const error = (await deadLetters.replay('ledger', '1', 'consumer fixed', operator).catch((e: unknown) => e)) as HttpException;
      expect(error.getStatus()).toBe(403);
      expect(calls).toEqual([]);
    }
  });

  it("passes the service's own refusal through (a second replay is a 409 with its message)", async () => {
    const { deadLetters, calls } = fakeServices();
    const error = (await deadLetters.replay('payment-debit', '7', 'consumer fixed', bob).catch((e: unknown) => e)) as HttpException;
    expect({ status: error.getStatus(), message: error.message }).toEqual({ status: 409, message: 'dead letter 7 was already replayed' });
    expect(calls).toEqual(['POST payment-debit /v1/dead-letters/7/replay']);
  });
});
