// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations } from './support/browser';
import { notifySeedPayment } from './support/operator-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const KEYS = {
  secret: 'console-browser-secret-12000',
  ledger: 'console-browser-ledger-key-0123',
  debit: 'console-browser-debit-key-01234',
};

/**
 * The console in a real browser (Debian's Chromium through playwright-core) in front of the real services, on real
 * Kafka and PostgreSQL: a provider notifies the seed's payment, an operator signs in, sees it in the flow, finds it
 * and opens its postings. Each page passes axe-core with no serious or critical violation and breaks no CSP rule.
 */
describe('console in the browser', () => {
  let stack: ConsoleStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  let paymentId: string;
  const transactionId = `console-${randomUUID()}`;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack('console_browser', KEYS), launchBrowser()]);
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    paymentId = await notifySeedPayment(stack, KEYS, transactionId);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const expectAccessible = async (what: string) => {
    expect({ page: what, violations: await seriousViolations(page) }).toEqual({ page: what, violations: [] });
  };

  it('refuses every API route to a browser without a session', async () => {
    await page.goto(stack.console.url);
    const statuses = await page.evaluate(async (id) => {
      const routes: [string, string][] = [
        ['GET', '/api/me'],
        ['GET', '/api/overview'],
        ['GET', '/api/search?kind=payments'],
        ['GET', `/api/payments/${id}`],
        ['GET', '/api/debits/00000000-0000-4000-8000-000000000000'],
        ['DELETE', '/api/session'],
      ];
      return Promise.all(routes.map(async ([method, path]) => [method, path, (await fetch(path, { method })).status] as const));
    }, paymentId);
    for (const [method, path, status] of statuses) expect({ method, path, status }).toEqual({ method, path, status: 401 });
  });

  it('signs in (a wrong password is refused first), showing the flow chart with the payment in it', async () => {
    await page.goto(stack.console.url);
    await page.getByLabel('Username').waitFor();
    await expectAccessible('sign-in');
    await screenshot(page, 'sign-in');
    await page.getByLabel('Username').fill('victor');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password' }).waitFor();

    await page.getByLabel('Password').fill(stack.passwords.victor!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    // The session cookie is out of the page's reach.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).toBe('{}{}');
    await page.locator('.chart-canvas canvas').first().waitFor();
    await page
      .locator('td[data-series="payments"]')
      .filter({ hasText: /^[1-9]/ })
      .waitFor({ timeout: 20_000 });
    await page.getByRole('banner').getByText('victor', { exact: true }).waitFor();
    // Every source was read: the services' metrics and read APIs all answered.
    expect(await page.getByText('Not available right now').count()).toBe(0);
    // Nothing is in suspense: every age bucket is there, at zero.
    const suspense = page.getByRole('region', { name: 'Open suspense by age' });
    await suspense.getByRole('table').waitFor();
    const ages = (await suspense.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    expect(ages).toEqual([
      ['Under 1 hour', '0', '', '—'],
      ['1 to 24 hours', '0', '', '—'],
      ['1 to 7 days', '0', '', '—'],
      ['Over 7 days', '0', '', '—'],
    ]);
    await expectAccessible('overview');
    await screenshot(page, 'overview');
  });

  /** Submits the search form and answers the status of the console's search call that carries `key`. */
  const searchedWith = async (key: string) => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/search?') && new URL(r.url()).searchParams.has(key)),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    return res.status();
  };

  it('finds the payment by provider and customer, by msisdn and by transaction id, and opens it with its postings and events', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Provider').fill('200');
    await page.getByLabel('Customer').fill('12000');
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: paymentId });
    await link.waitFor();

    // By the subscriber's number as a person would type it (normalised as ingest stored it), then by transaction id.
    await page.getByLabel('Provider').fill('');
    await page.getByLabel('Customer').fill('');
    await page.getByLabel('Subscriber MSISDN (payments)').fill('+250 786 474 859');
    expect(await searchedWith('msisdn')).toBe(200);
    await link.waitFor();
    expect(await page.getByRole('region', { name: 'Results' }).locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Subscriber MSISDN (payments)').fill('0786 474 859');
    expect(await searchedWith('msisdn')).toBe(400);
    await page
      .getByRole('alert')
      .filter({ hasText: /msisdn/ })
      .waitFor();
    await page.getByLabel('Subscriber MSISDN (payments)').fill('');
    await page.getByLabel('Transaction id (payments)').fill(transactionId);
    expect(await searchedWith('transactionId')).toBe(200);
    const row = page.getByRole('region', { name: 'Results' }).locator('tbody tr');
    await row.filter({ hasText: transactionId }).waitFor();
    expect(await row.count()).toBe(1);
    await expectAccessible('search');
    await screenshot(page, 'search');

    await link.click();
    await page.getByRole('heading', { name: `Payment ${paymentId}` }).waitFor();
    const postings = page.getByRole('region', { name: 'Postings' });
    await postings.getByRole('cell', { name: 'provider-clearing:200' }).waitFor();
    const rows = await postings.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['provider-clearing:200', '200 RWF', ''],
      ['customer:12000', '', '200 RWF'],
    ]);
    await page.getByRole('region', { name: 'Events' }).getByText('mm.payment.received.v1', { exact: true }).waitFor();
    await expectAccessible('payment');
    await screenshot(page, 'payment');
  });

  it('opens a debit by its command id and says when the ledger has none', async () => {
    await page.goto(`${stack.console.url}/#/debits/${randomUUID()}`);
    await page
      .getByRole('alert')
      .filter({ hasText: /not in the ledger/ })
      .waitFor();
    await expectAccessible('debit (not found)');
  });

  it('signs out: the page asks for a sign-in again and the old session is refused', async () => {
    await page.goto(stack.console.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    expect(cspViolations).toEqual([]);
  });
});
