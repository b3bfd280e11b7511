// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { waitFor } from '@mm/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations } from './support/browser';
import { bffWrite as write, notifySeedPayment, signInAs as signIn } from './support/operator-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const KEYS = {
  secret: 'console-ledger-secret-12000',
  ledger: 'console-ledger-ledger-key-01234',
  debit: 'console-ledger-debit-key-012345',
};
const REASON = 'the provider notified 50 RWF too much (its ticket 4526)';

/**
 * The ledger's pages in a real browser in front of the real services: a provider notifies the seed's 200 RWF payment,
 * alice (maker) proposes reversing 50 RWF of it from its Payment page, victor (viewer) sees it with no action and is
 * refused by the console's API, bob (checker) approves it, and the customer's account page shows the reversal in its
 * postings, its balance and its chart. Each page passes axe-core with no serious or critical violation and breaks no
 * CSP rule.
 */
describe('corrections and balances in the browser', () => {
  let stack: ConsoleStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const cspViolations: string[] = [];
  let paymentId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack('console_ledger', KEYS), launchBrowser()]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    paymentId = await notifySeedPayment(stack, KEYS);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const expectAccessible = async (what: string) => {
    expect({ page: what, violations: await seriousViolations(page) }).toEqual({ page: what, violations: [] });
  };

  const signInAs = (username: string) => signIn(page, stack, username);

  const openCorrections = async () => {
    await page.getByRole('link', { name: 'Corrections' }).click();
    await page.getByRole('heading', { name: 'Corrections', exact: true }).waitFor();
  };
  const proposals = () => page.getByRole('region', { name: 'Proposals' });
  const main = () => page.getByRole('main');
  const bffWrite = (path: string, body: unknown) => write(page, path, body);
  /** The correction's id, as the ledger lists it through the console. */
  const correctionId = () =>
    page.evaluate(async () => {
      const list = (await (await fetch('/api/corrections')).json()) as { items: { id: string }[] };
      return list.items[0]!.id;
    });

  it('refuses the new API routes to a browser without a session', async () => {
    await page.goto(stack.console.url);
    const statuses = await page.evaluate(async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      const routes: [string, string][] = [
        ['GET', '/api/corrections'],
        ['GET', `/api/corrections/${id}`],
        ['POST', '/api/corrections'],
        ['POST', `/api/corrections/${id}/approve`],
        ['POST', `/api/corrections/${id}/reject`],
        ['GET', '/api/accounts/customer:12000'],
      ];
      return Promise.all(routes.map(async ([method, path]) => [method, path, (await fetch(path, { method })).status] as const));
    });
    for (const [method, path, status] of statuses) expect({ method, path, status }).toEqual({ method, path, status: 401 });
  });

  it('alice (maker) proposes reversing 50 RWF of the payment from its page, and decides nothing', async () => {
    await signInAs('alice');
    await page.goto(`${stack.console.url}/#/payments/${paymentId}`);
    await page.getByRole('heading', { name: `Payment ${paymentId}` }).waitFor();
    await page.getByRole('link', { name: 'Propose a correction' }).click();
    const form = page.getByRole('form', { name: 'Propose a correction' });
    await form.waitFor();
    expect(await form.getByLabel('Currency').inputValue()).toBe('RWF');
    expect(await form.getByLabel(/Event id/).inputValue()).not.toBe('');
    // More than the payment is refused by the ledger, and the page says why.
    await form.getByLabel('Amount to reverse').fill('250');
    await form.getByLabel('Reason').fill(REASON);
    await expectAccessible('corrections (maker, proposing)');
    await form.getByRole('button', { name: 'Submit correction' }).click();
    await page.getByRole('alert').filter({ hasText: '250 minor units cannot be reversed' }).waitFor();
    expect(await proposals().getByRole('row').count()).toBe(0);
    // An amount the contracts cannot read never leaves the page.
    await form.getByLabel('Amount to reverse').fill('50.5');
    await form.getByRole('button', { name: 'Submit correction' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Amount:/ })
      .waitFor();

    await form.getByLabel('Amount to reverse').fill('50');
    await form.getByRole('button', { name: 'Submit correction' }).click();
    await page.getByRole('status').filter({ hasText: 'Proposed reversing 50 RWF' }).waitFor();
    const row = proposals().getByRole('row').filter({ hasText: REASON });
    await row.getByRole('cell', { name: 'alice', exact: true }).waitFor();
    await row.getByText('50 RWF', { exact: true }).waitFor();
    await row.getByText('PROPOSED', { exact: true }).waitFor();
    expect(await proposals().getByRole('button').count()).toBe(0);
    expect(await bffWrite(`/api/corrections/${await correctionId()}/approve`, {})).toEqual({
      status: 403,
      message: 'only an operator with the checker role may approve a correction',
    });
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible('corrections (maker, proposed)');
  });

  it('victor (viewer) sees the proposal with no action, and the console refuses his writes', async () => {
    await signInAs('victor');
    await openCorrections();
    await proposals().getByRole('row').filter({ hasText: REASON }).waitFor();
    expect(await main().getByRole('button').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Propose a correction' }).count()).toBe(0);
    await expectAccessible('corrections (viewer)');
    const id = await correctionId();
    expect(await bffWrite(`/api/corrections/${id}/approve`, {})).toEqual({
      status: 403,
      message: 'only an operator with the checker role may approve a correction',
    });
    expect(await bffWrite(`/api/corrections/${id}/reject`, { reason: 'looks wrong' })).toMatchObject({ status: 403 });
    expect(await bffWrite('/api/corrections', { eventId: 'x', amount: { amountMinor: '1', currency: 'RWF' }, reason: 'guess' })).toEqual({
      status: 403,
      message: 'only an operator with the maker role may propose a correction',
    });
  });

  it('bob (checker) approves it, and the customer’s account shows the reversal, its balance and its chart', async () => {
    await signInAs('bob');
    await openCorrections();
    expect(await page.getByRole('form', { name: 'Propose a correction' }).count()).toBe(0);
    const row = proposals().getByRole('row').filter({ hasText: REASON });
    await row.getByRole('button', { name: /^Approve/ }).waitFor();
    await expectAccessible('corrections (checker)');
    await row.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('status').filter({ hasText: 'Approved: the ledger books the reversal of 50 RWF' }).waitFor();
    await row.getByText('APPROVED', { exact: true }).waitFor();

    // From the payment's postings to the customer's account, once the ledger has booked the correction.
    await page.goto(`${stack.console.url}/#/payments/${paymentId}`);
    await page.getByRole('region', { name: 'Postings' }).getByRole('link', { name: 'customer:12000' }).click();
    await page.getByRole('heading', { name: 'Account customer:12000' }).waitFor();
    const postings = page.getByRole('region', { name: 'Postings' });
    await waitFor(
      async () => {
        if ((await postings.locator('tbody tr').count()) >= 2) return true;
        await page.reload();
        await page.getByRole('heading', { name: 'Account customer:12000' }).waitFor();
        return undefined;
      },
      30_000,
      500,
    );
    const rows = (await postings.locator('tbody tr').allInnerTexts()).map((r) =>
      r
        .split('\t')
        .slice(2)
        .map((c) => c.trim()),
    );
    // Newest first: the reversal debits the customer 50 RWF back, the payment credited 200 RWF.
    expect(rows).toEqual([
      ['50 RWF', ''],
      ['', '200 RWF'],
    ]);
    await page.getByRole('region', { name: 'Balances' }).getByText('−150 RWF').waitFor();
    await page.locator('.chart-canvas canvas').first().waitFor();
    await expectAccessible('balances');
    await screenshot(page, 'balances');

    // The search box opens another account.
    await page.getByLabel('Account id').fill('provider-clearing:200');
    await page.getByRole('button', { name: 'Open account' }).click();
    await page.getByRole('heading', { name: 'Account provider-clearing:200' }).waitFor();
    await page.getByRole('region', { name: 'Balances' }).getByText('150 RWF').waitFor();
    expect(cspViolations).toEqual([]);
  });
});
