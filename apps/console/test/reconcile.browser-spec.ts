// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { BIXI_STATEMENT_CSV_HEADER } from '@mm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations } from './support/browser';
import { signInAs } from './support/operator-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const KEYS = {
  secret: 'reconcile-browser-secret-12000',
  ledger: 'reconcile-browser-ledger-key-01',
  debit: 'reconcile-browser-debit-key-012',
};

/**
 * The Reconcile page in a real browser in front of the real services: a maker uploads a Bixi statement with a line
 * we never sent, finds the MISSING_IN_BOOKS break it made, closes it with a reason and exports the breaks as CSV (a
 * formula-looking cell kept as text); a viewer is offered neither upload nor close, and the console refuses his upload.
 */
describe('Reconcile page in the browser', () => {
  let stack: ConsoleStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  const tag = randomUUID().slice(0, 8);
  const lineId = `=SUM(1+1)-${tag}`;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack('console_reconcile', KEYS), launchBrowser()]);
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const expectAccessible = async (what: string) => {
    expect({ page: what, violations: await seriousViolations(page) }).toEqual({ page: what, violations: [] });
  };

  const signIn = async (username: string) => {
    await signInAs(page, stack, username);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reconcile' }).click();
    await page.getByRole('heading', { name: 'Reconcile', level: 1 }).waitFor();
  };

  const filterBreaks = async (type: string, status: string) => {
    await page.getByLabel('Type', { exact: true }).selectOption(type);
    await page.getByLabel('Status', { exact: true }).selectOption(status);
    await page.getByRole('button', { name: 'Apply' }).click();
  };

  it('refuses the reconciliation routes to a browser without a session', async () => {
    await page.goto(stack.console.url);
    const statuses = await page.evaluate(async () => {
      const routes: [string, string][] = [
        ['POST', '/api/statements/bixi'],
        ['POST', '/api/statements/provider'],
        ['GET', '/api/breaks'],
        ['GET', '/api/breaks/summary'],
        ['GET', '/api/breaks.csv'],
        ['POST', '/api/breaks/bixi/00000000-0000-4000-8000-000000000000/close'],
        ['GET', '/api/reports/reconciliation?date=2026-01-01'],
      ];
      return Promise.all(routes.map(async ([method, path]) => [method, path, (await fetch(path, { method })).status] as const));
    });
    for (const [method, path, status] of statuses) expect({ method, path, status }).toEqual({ method, path, status: 401 });
  });

  it('a maker uploads a Bixi statement with a line we never sent, finds the MISSING_IN_BOOKS break and closes it', async () => {
    await signIn('alice');
    await page.getByRole('heading', { name: 'Daily report', exact: true }).waitFor();
    await page.getByRole('region', { name: 'Open suspense by age' }).getByText('No open suspense.').waitFor();
    await expectAccessible('reconcile');

    const line = [
      lineId,
      `R${tag}`,
      '',
      '250788000111',
      'mobile',
      'MTN',
      'approved',
      'RWF',
      '',
      '100',
      '0',
      '100',
      new Date().toISOString(),
    ];
    const statement = Buffer.from(`${BIXI_STATEMENT_CSV_HEADER}\n${line.join(',')}\n`);
    await page.getByLabel('Statement', { exact: true }).selectOption('bixi');
    await page
      .getByLabel('Statement file (CSV or JSON lines)')
      .setInputFiles({ name: 'bixi.csv', mimeType: 'text/csv', buffer: statement });
    await page.getByLabel('Complete for period (optional)').fill(today);
    await page.getByRole('button', { name: 'Upload' }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result.getByText('MISSING_IN_BOOKS 1').waitFor();
    await page.getByText(`${statement.length} of ${statement.length} bytes`).waitFor();
    expect(await page.locator('#upload-progress').getAttribute('value')).toBe(String(statement.length));
    // Beyond CONSOLE_STATEMENT_MAX_BYTES (4 MiB by default) the console refuses the statement before any of it is sent on.
    const tooLarge = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const res = await fetch('/api/statements/bixi', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrfToken },
        body: 'x'.repeat(4 * 1024 * 1024 + 1),
      });
      return [res.status, ((await res.json()) as { message: string }).message];
    });
    expect(tooLarge).toEqual([413, 'a statement may have at most 4194304 bytes']);

    await filterBreaks('MISSING_IN_BOOKS', 'OPEN');
    const breaks = page.getByRole('table', { name: 'Breaks' });
    await breaks.getByText(`Bixi transaction ${lineId}`, { exact: false }).waitFor();
    expect(await breaks.locator('tbody tr').count()).toBe(1);
    await breaks.getByRole('button', { name: /^Open break / }).click();
    await page.getByRole('region', { name: 'Statement side' }).getByRole('cell', { name: lineId, exact: true }).waitFor();
    await page.getByRole('region', { name: 'Our side' }).getByText('Nothing on this side.').waitFor();
    await expectAccessible('reconcile (break open)');
    await screenshot(page, 'reconcile');

    await page.getByLabel('Reason for closing').fill('test line from the sandbox; nothing was debited');
    await page.getByRole('button', { name: 'Close break' }).click();
    await breaks.getByText('CLOSED', { exact: true }).waitFor();
    await page.getByText(/by alice: test line from the sandbox/).waitFor();
    expect(await page.getByRole('button', { name: 'Close break' }).count()).toBe(0);
  });

  it('exports the breaks as CSV with the formula-looking cell kept as text', async () => {
    await filterBreaks('', '');
    await page.getByRole('table', { name: 'Breaks' }).getByText('CLOSED', { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('bixi-breaks.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^breakId,type,status,/);
    expect(csv).toContain(`,MISSING_IN_BOOKS,CLOSED,`);
    expect(csv).toContain(`,'${lineId},`);
    expect(csv).not.toContain(`,${lineId},`);
    expect(csv).toContain(',alice,');
  });

  it('a viewer sees no upload or close controls, and the console refuses his upload and close', async () => {
    await signIn('victor');
    await page.getByRole('heading', { name: 'Breaks', exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'Import a statement' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Upload' }).count()).toBe(0);
    await filterBreaks('', '');
    await page
      .getByRole('table', { name: 'Breaks' })
      .getByRole('button', { name: /^Open break / })
      .click();
    await page.getByRole('region', { name: 'Statement side' }).waitFor();
    expect(await page.getByLabel('Reason for closing').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Close break' }).count()).toBe(0);
    await expectAccessible('reconcile (viewer)');

    const answers = await page.evaluate(async (header) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const upload = await fetch('/api/statements/bixi', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrfToken },
        body: `${header}\n`,
      });
      const { items } = (await (await fetch('/api/breaks?source=bixi')).json()) as { items: { breakId: string }[] };
      const close = await fetch(`/api/breaks/bixi/${items[0]!.breakId}/close`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ reason: 'a viewer may not' }),
      });
      return { upload: [upload.status, (await upload.json()) as unknown], close: close.status };
    }, BIXI_STATEMENT_CSV_HEADER);
    expect(answers).toEqual({
      upload: [403, expect.objectContaining({ message: 'uploading a statement needs the maker role' })],
      close: 403,
    });
    expect(cspViolations).toEqual([]);
  });
});
