import type { Operator } from '@mm/platform';
import type { HttpException } from '@nestjs/common';
import type { ConsoleSession } from '../../sign-in/http/session.guard';
import type { ServicesClient, Upstream } from '../../upstream/services.client';
import { DeadLettersService } from '../dead-letters.service';
import { DeadLettersController } from './dead-letters.controller';

/** The controller over a ServicesClient that answers nothing useful but records whether it was called at all. */
function controller() {
  const calls: string[] = [];
  const record =
    (method: string) =>
    (service: string, path: string): Promise<Upstream<unknown>> => {
      calls.push(`${method} ${service} ${path}`);
      return Promise.resolve({ status: 200, body: { items: [] } });
    };
  const services = { get: record('GET'), post: record('POST') } as unknown as ServicesClient;
  return { deadLetters: new DeadLettersController(new DeadLettersService(services)), calls };
}

const session = (roles: Operator['roles']): ConsoleSession => ({
  sessionId: 's',
  operator: { sub: 'bob', roles },
  csrfToken: 't',
  expiresAt: new Date(Date.now() + 60_000),
});

/** The status and message of what `call` threw (it must throw). */
async function refusal(call: () => unknown) {
  const error = (await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    )) as HttpException | undefined;
  return error && { status: error.getStatus(), message: error.message };
}

describe('DeadLettersController', () => {
  const bob = session(['checker']);

  it('answers 400 naming the field for an unknown service, a non-numeric id, a missing or blank reason and a bad state', async () => {
    const { deadLetters, calls } = controller();
    expect(await refusal(() => deadLetters.replay('nowhere', '1', { reason: 'consumer fixed' }, bob))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^invalid service: service: /),
    });
    expect(await refusal(() => deadLetters.get('ledger', '1; DROP TABLE', bob))).toMatchObject({
      status: 400,
      message: 'invalid id: id: a dead letter id is a number',
    });
    expect(await refusal(() => deadLetters.replay('ledger', '1', {}, bob))).toMatchObject({ status: 400, message: /reason/ });
    expect(await refusal(() => deadLetters.replay('ledger', '1', { reason: '   ' }, bob))).toMatchObject({
      status: 400,
      message: /reason/,
    });
    expect(await refusal(() => deadLetters.replay('ledger', '1', { reason: 'ok then', extra: 1 }, bob))).toMatchObject({ status: 400 });
    expect(await refusal(() => deadLetters.list({ state: 'closed' }, bob))).toMatchObject({ status: 400, message: /state/ });
    expect(await refusal(() => deadLetters.list({ state: 'open', limit: '5' }, bob))).toMatchObject({ status: 400 });
    expect(calls).toEqual([]);
  });

  it('refuses a maker or viewer 403 before any call, and sends a valid checker replay to the named service', async () => {
    const { deadLetters, calls } = controller();
    for (const roles of [['maker'], ['viewer'], []] as Operator['roles'][])
      expect(await refusal(() => deadLetters.replay('ledger', '1', { reason: 'consumer fixed' }, session(roles)))).toMatchObject({
        status: 403,
      });
    expect(calls).toEqual([]);
    await deadLetters.replay('payment-debit', '42', { reason: 'consumer fixed' }, bob);
    await deadLetters.list({ state: 'replayed' }, bob);
    expect(calls).toEqual([
      'POST payment-debit /v1/dead-letters/42/replay',
      'GET ledger /v1/dead-letters?limit=100&state=replayed',
      'GET payment-debit /v1/dead-letters?limit=100&state=replayed',
    ]);
  });
});
