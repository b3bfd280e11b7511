// The page.evaluate callbacks run in the browser: they use the DOM types.
/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { signLikeSeed, waitFor } from '@mm/testing';
import type { Page } from 'playwright-core';
import type { ConsoleStack } from './stack';

/** The seed's example notification (200 RWF, provider 200, customer 12000), signed as the seed signs it, until the ledger has booked it. */
export async function notifySeedPayment(
  stack: ConsoleStack,
  keys: { secret: string; ledger: string },
  transactionId = `console-${randomUUID()}`,
): Promise<string> {
  const body = JSON.stringify({
    transactionId,
    reference: '4526',
    operator: 'Mobile_provider',
    subscriber: '250786474859',
    countryCode: 'RW',
    currency: 'RWF',
    transaction_type: 'PayBill',
    first_name: 'Jhon',
    account_number: '45678',
    last_name: 'Doe',
    amount: 200.0,
  });
  const messageId = randomUUID();
  const res = await fetch(`${stack.ingest.url}/mm/1.0/payments/payment/200/customers/12000/payments`, {
    method: 'POST',
    headers: {
      Authorization: signLikeSeed(keys.secret, body, messageId, '200', '12000'),
      MessageID: messageId,
      MessageTimestamp: '20161029113022',
      SMSSupport: 'Y',
      'Content-Type': 'application/json',
    },
    body,
  });
  expect(res.status).toBe(200);
  const { providerTransactionId } = (await res.json()) as { providerTransactionId: string };
  await waitFor(async () => {
    const booked = await fetch(`${stack.ledger.url}/v1/payments/${providerTransactionId}`, { headers: { 'X-API-Key': keys.ledger } });
    return booked.status === 200 || undefined;
  }, 30_000);
  return providerTransactionId;
}

/** Signs `username` in (signing out whoever is signed in first), on the Overview. */
export async function signInAs(page: Page, stack: ConsoleStack, username: string): Promise<void> {
  await page.goto(stack.console.url);
  const signOut = page.getByRole('button', { name: 'Sign out' });
  const username_ = page.getByLabel('Username');
  await signOut.or(username_).first().waitFor();
  if (await signOut.isVisible()) {
    await signOut.click();
    await username_.waitFor();
  }
  await username_.fill(username);
  await page.getByLabel('Password').fill(stack.passwords[username]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
}

/** A write through the console's API from the signed-in page, with the session's CSRF token: its status and message. */
export const bffWrite = (page: Page, path: string, body: unknown) =>
  page.evaluate(
    async ([p, b]) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const res = await fetch(p, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(b),
      });
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    },
    [path, body] as const,
  );
