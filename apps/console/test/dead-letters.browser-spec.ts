// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { Topics } from '@mm/contracts';
import { testKafka, testProducer, testTopic, waitFor } from '@mm/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations } from './support/browser';
import { bffWrite as write, signInAs as signIn } from './support/operator-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const KEYS = {
  secret: 'console-dlq-secret-12000',
  ledger: 'console-dlq-ledger-key-0123456',
  debit: 'console-dlq-debit-key-01234567',
};
/** Not an event at all: payment-debit's consumer refuses it to its DLQ, and the dead-letter inbox keeps it. */
const POISON = '{"type":"not-an-event","note":"<img src=x onerror=alert(1)>"}';

/**
 * A message payment-debit refused reaches the console's Dead letters page: victor (viewer) opens it with no action and
 * is refused by the console's API; bob (checker) replays it after confirming with a reason, and it is marked replayed.
 * The value is shown as text (the markup in it never renders), each state passes axe-core, and no CSP rule breaks.
 */
describe('dead letters in the browser', () => {
  let stack: ConsoleStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const cspViolations: string[] = [];
  const dialogs: string[] = [];
  let letterId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack('console_dlq', KEYS), launchBrowser()]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitFor(async () => ((await fetch(`${stack.debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
    const producer = testProducer(testKafka('console-dlq-test'));
    await producer.connect();
    await producer.send({ topic: testTopic(Topics.DebitRequested), acks: -1, messages: [{ key: 'poison', value: POISON }] });
    await producer.disconnect();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function accessible(what: string) {
    expect({ page: what, violations: await seriousViolations(page) }).toEqual({ page: what, violations: [] });
  }

  /** The open letters as the signed-in operator sees them through the console. */
  const letters = (state: string) =>
    page.evaluate(
      async (st) =>
        (
          (await (await fetch(`/api/dead-letters?state=${st}`)).json()) as {
            items: { id: string; service: string; key: string | null; replayedBy: string | null }[];
          }
        ).items,
      state,
    );

  async function openLetter() {
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('heading', { name: 'Dead letters', exact: true }).waitFor();
    await page.getByRole('button', { name: `Open payment-debit letter ${letterId}` }).click();
    await page.getByRole('heading', { name: `payment-debit letter #${letterId}` }).waitFor();
  }

  it('refuses the dead-letter routes to a browser without a session', async () => {
    await page.goto(stack.console.url);
    const statuses = await page.evaluate(async (id) => {
      const routes: [string, string][] = [
        ['GET', '/api/dead-letters'],
        ['GET', `/api/dead-letters/payment-debit/${id}`],
        ['POST', `/api/dead-letters/payment-debit/${id}/replay`],
      ];
      return Promise.all(routes.map(async ([method, path]) => (await fetch(path, { method })).status));
    }, '1');
    expect(statuses).toEqual([401, 401, 401]);
  });

  it('victor (viewer) opens the letter, its value shown as text, with no Replay button, and the API refuses his replay', async () => {
    await signIn(page, stack, 'victor');
    // The ledger consumes the debit commands topic too: both services refuse the poison, and the list merges both.
    const both = await waitFor(
      async () => {
        const open = (await letters('open')).filter((l) => l.key === 'poison');
        return open.some((l) => l.service === 'ledger') && open.some((l) => l.service === 'payment-debit') ? open : undefined;
      },
      60_000,
      250,
    );
    letterId = both.find((l) => l.service === 'payment-debit')!.id;
    expect(letterId).toMatch(/^[0-9]+$/);
    await openLetter();
    for (const service of ['ledger', 'payment-debit'])
      expect(await page.getByRole('cell', { name: service, exact: true }).count()).toBeGreaterThan(0);
    await expect(page.locator('pre.payload').textContent()).resolves.toBe(POISON);
    expect(await page.locator('pre.payload img').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    await accessible('dead letters, viewer');
    const refused = await write(page, `/api/dead-letters/payment-debit/${letterId}/replay`, { reason: 'viewer tries' });
    expect(refused).toEqual({ status: 403, message: 'only an operator with the checker role may replay a dead letter' });
    expect(await page.getByRole('cell', { name: 'open', exact: true }).count()).toBeGreaterThan(0);
  });

  it('bob (checker) replays it after confirming with a reason; a second replay is refused', async () => {
    await signIn(page, stack, 'bob');
    await openLetter();
    await page.getByRole('button', { name: 'Replay…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Replay this letter to its topic?' });
    await confirm.waitFor();
    await accessible('dead letters, replay confirmation');
    await screenshot(page, 'dead-letters');
    await confirm.getByLabel('Why replay it').fill('consumer fixed; redeliver');
    await confirm.getByRole('button', { name: 'Confirm replay' }).click();
    await page.getByText(`Dead letter payment-debit #${letterId} replayed to its topic.`).waitFor();
    await page.getByText(/^replayed by bob at /).waitFor();
    expect(await page.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    expect((await letters('replayed')).find((l) => l.id === letterId)).toMatchObject({ replayedBy: 'bob' });
    expect(await write(page, `/api/dead-letters/payment-debit/${letterId}/replay`, { reason: 'again' })).toMatchObject({ status: 409 });
    expect(await write(page, `/api/dead-letters/nowhere/${letterId}/replay`, { reason: 'again' })).toMatchObject({ status: 400 });
    await accessible('dead letters, after replay');
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
