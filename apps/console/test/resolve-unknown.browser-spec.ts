// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { parseJsonExact } from '@mm/contracts';
import { waitFor } from '@mm/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations } from './support/browser';
import { bffWrite as write, signInAs as signIn } from './support/operator-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const KEYS = {
  secret: 'console-resolve-secret-12000',
  ledger: 'console-resolve-ledger-key-0123',
  debit: 'console-resolve-debit-key-01234',
};
/** The sandbox's timeout account (apps/bixi-sandbox/src/pay/magic-accounts.ts): Bixi debits it, the answer never comes. */
const TIMEOUT_ACCOUNT = '252600000006';

/**
 * Two people resolve an UNKNOWN debit in the browser: a debit to the sandbox's timeout account becomes UNKNOWN and
 * sits in the ledger's suspense; alice (maker) proposes DEBITED with the transaction Bixi recorded, victor (viewer)
 * sees it without any action and is refused by the console's API, bob (checker) approves it, and suspense is back to
 * nothing. Each state of the page passes axe-core with no serious or critical violation and breaks no CSP rule.
 */
describe('resolving an UNKNOWN debit in the browser', () => {
  let stack: ConsoleStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const cspViolations: string[] = [];
  const commandId = randomUUID();
  let bixi: { id: string; referenceId: string; issuerTransactionId: string; charges: string; total: string };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack('console_resolve', KEYS), launchBrowser()]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await waitFor(async () => ((await fetch(`${stack.debit.url}/health/ready`)).status === 200 ? true : undefined), 60_000, 200);
    bixi = await debitThatTimesOut();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A 12.50 USD debit to the timeout account, until it is UNKNOWN and in the ledger's suspense; what Bixi booked. */
  async function debitThatTimesOut() {
    const accepted = await fetch(`${stack.debit.url}/v1/debits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': KEYS.debit, 'Idempotency-Key': commandId },
      body: JSON.stringify({
        accountNumber: TIMEOUT_ACCOUNT,
        accountType: 'mmt',
        amount: { amountMinor: '1250', currency: 'USD' },
        receiptId: 'INV8008',
        description: 'Receipt for sales bill No. 8008',
      }),
    });
    expect(accepted.status).toBe(202);
    await waitFor(
      async () => {
        const res = await fetch(`${stack.ledger.url}/v1/suspense`, { headers: { 'X-API-Key': KEYS.ledger } });
        const body = (await res.json()) as { items: { commandId: string }[] };
        return body.items.some((i) => i.commandId === commandId) || undefined;
      },
      60_000,
      250,
    );
    // What Bixi booked (its portal would say; the sandbox recorded the answer it never delivered).
    const recorded = (await (await fetch(`${stack.sandbox.url}/__sandbox/requests?requestId=${commandId}`)).json()) as {
      requests: { unsentAnswer?: string }[];
    };
    expect(recorded.requests).toHaveLength(1);
    const tx = (parseJsonExact(recorded.requests[0]!.unsentAnswer!) as { data: { id: string; attributes: Record<string, unknown> } }).data;
    const a = tx.attributes;
    return {
      id: tx.id,
      referenceId: String(a.referenceId),
      issuerTransactionId: String(a.issuerTransactionId),
      charges: String(a.charges),
      total: String(a.total),
    };
  }

  const expectAccessible = async (what: string) => {
    expect({ page: what, violations: await seriousViolations(page) }).toEqual({ page: what, violations: [] });
  };

  async function signInAs(username: string) {
    await signIn(page, stack, username);
    await page.getByRole('link', { name: 'UNKNOWN debits' }).click();
    await page.getByRole('heading', { name: 'UNKNOWN debits', exact: true }).waitFor();
  }

  const suspense = () => page.getByRole('region', { name: 'Open suspense' });
  const pending = () => page.getByRole('region', { name: 'Pending proposals' });
  const main = () => page.getByRole('main');
  const bffWrite = (path: string, body: unknown) => write(page, path, body);

  it('alice (maker) sees the UNKNOWN debit and its suspense, and proposes DEBITED with the transaction Bixi recorded', async () => {
    await signInAs('alice');
    await suspense().getByText('12.50 USD').waitFor();
    const row = page.getByRole('row').filter({ hasText: commandId });
    await row.getByText(TIMEOUT_ACCOUNT).waitFor();
    await row.getByText('12.50 USD').waitFor();
    await expectAccessible('UNKNOWN debits (maker)');

    await page.getByRole('button', { name: `Propose outcome for ${commandId}` }).click();
    const form = page.getByRole('form', { name: `Propose the outcome of ${commandId}` });
    await form.getByLabel('Debited', { exact: true }).check();
    await form.getByLabel('Bixi transaction id').fill(bixi.id);
    await form.getByLabel('Reference id').fill(bixi.referenceId);
    await form.getByLabel('Issuer transaction id').fill(bixi.issuerTransactionId);
    // Charges that do not add up are refused by payment-debit, and the page says why.
    await form.getByLabel('Charges in USD').fill('1.00');
    await form.getByLabel('Total in USD').fill(bixi.total);
    await form.getByLabel(/Evidence/).fill(`Bixi portal shows transaction ${bixi.id} approved for receipt INV8008`);
    await expectAccessible('propose form');
    await form.getByRole('button', { name: 'Submit proposal' }).click();
    await page.getByRole('alert').filter({ hasText: 'must equal the amount 1250' }).waitFor();

    await form.getByLabel('Charges in USD').fill(bixi.charges);
    await form.getByRole('button', { name: 'Submit proposal' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Proposed for debit ${commandId}` })
      .waitFor();
    const proposal = pending().getByRole('row').filter({ hasText: commandId });
    await proposal.getByText(bixi.id, { exact: true }).waitFor();
    await proposal.getByRole('cell', { name: 'alice', exact: true }).waitFor();
    await proposal.getByText('0.38 USD').waitFor();
    await proposal.getByText('12.12 USD').waitFor();
    // A maker decides nothing: no approve or reject, and the console's API refuses it too.
    expect(await pending().getByRole('button').count()).toBe(0);
    const proposalId = await proposalIdOf();
    expect(await bffWrite(`/api/resolutions/${proposalId}/approve`, {})).toEqual({
      status: 403,
      message: 'only an operator with the checker role may approve a proposal',
    });
    // Every write needs the session's CSRF token.
    const withoutCsrf = await page.evaluate(async (id) => {
      const res = await fetch(`/api/resolutions/debits/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'NOT_DEBITED', reason: 'nothing taken', evidence: 'a second try' }),
      });
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    }, commandId);
    expect(withoutCsrf).toEqual({ status: 403, message: 'the X-CSRF-Token header is missing or wrong' });
    await expectAccessible('UNKNOWN debits (proposed)');
  });

  /** The open proposal's id, as payment-debit lists it through the console. */
  const proposalIdOf = () =>
    page.evaluate(async (id) => {
      const queue = (await (await fetch('/api/resolutions/queue')).json()) as { proposals: { proposalId: string; commandId: string }[] };
      return queue.proposals.find((p) => p.commandId === id)!.proposalId;
    }, commandId);

  it('victor (viewer) sees the debit, the proposal and its evidence, with no action, and the console refuses his writes', async () => {
    await signInAs('victor');
    const proposal = pending().getByRole('row').filter({ hasText: commandId });
    await proposal.getByText(`Bixi portal shows transaction ${bixi.id}`).waitFor();
    await suspense().getByText('12.50 USD').waitFor();
    expect(await main().getByRole('button').count()).toBe(0);
    await expectAccessible('UNKNOWN debits (viewer)');

    const proposalId = await proposalIdOf();
    expect(await bffWrite(`/api/resolutions/${proposalId}/approve`, {})).toEqual({
      status: 403,
      message: 'only an operator with the checker role may approve a proposal',
    });
    expect(await bffWrite(`/api/resolutions/${proposalId}/reject`, { reason: 'looks wrong' })).toMatchObject({ status: 403 });
    expect(
      await bffWrite(`/api/resolutions/debits/${commandId}`, { outcome: 'NOT_DEBITED', reason: 'nothing taken', evidence: 'guess' }),
    ).toEqual({ status: 403, message: 'only an operator with the maker role may propose an outcome' });
  });

  it('bob (checker) approves alice’s proposal, and the suspense is back to nothing', async () => {
    await signInAs('bob');
    const proposal = pending().getByRole('row').filter({ hasText: commandId });
    await proposal.getByRole('cell', { name: 'alice', exact: true }).waitFor();
    // Without the maker role, bob is offered no proposing; he may decide alice's proposal.
    expect(await page.getByRole('button', { name: /^Propose/ }).count()).toBe(0);
    await expectAccessible('UNKNOWN debits (checker)');
    await screenshot(page, 'resolve');

    await proposal.getByRole('button', { name: `Approve the proposal for ${commandId}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Approved: debit ${commandId} is resolved DEBITED` })
      .waitFor();
    await suspense().getByText('Nothing in suspense').waitFor({ timeout: 30_000 });
    await page.getByText('No debit is UNKNOWN.').waitFor({ timeout: 30_000 });
    await pending().getByText('No proposal is waiting for a checker.').waitFor();
    await expectAccessible('UNKNOWN debits (resolved)');
    expect(cspViolations).toEqual([]);
  });
});
