import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseJsonExact, toMinorUnits } from '@mm/contracts';
import { waitFor } from '@mm/testing';
import { startDebitStack, type DebitStack } from './payments-stack';

const run = promisify(execFile);
const MM = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'mm.js');
const keys = {
  bixiToken: 'e2e-resolve-bixi-token',
  debitApiKey: 'e2e-resolve-debit-api-key-01',
  ledgerApiKey: 'e2e-resolve-ledger-api-key-0123',
};
const DROP_ACCOUNT = '252600000007';

/** An operator token as an operator mints it (the development key). */
const tokenFor = async (sub: string, role: string) =>
  (await run(process.execPath, [MM, 'operator', 'token', '--sub', sub, '--role', role], { timeout: 30_000 })).stdout.trim();

/**
 * The dropped connection: Bixi took the money but the answer never arrived, so the debit is UNKNOWN and the ledger
 * holds it in suspense. Operators learn Bixi's transaction, a maker proposes it, a checker approves it, and the
 * ledger moves the amount out of suspense into settlement and fees.
 */
describe('UNKNOWN debit resolved by maker-checker: payment-debit → Kafka → ledger suspense → settlement', () => {
  let stack: DebitStack;

  beforeAll(async () => {
    stack = await startDebitStack('e2e_resolve', keys);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** An account's balance in USD as the ledger read API reports it ('0' when it has no postings). */
  const balance = async (accountId: string): Promise<string> => {
    const res = await fetch(`${stack.ledger.url}/v1/accounts/${encodeURIComponent(accountId)}`, {
      headers: { 'X-API-Key': keys.ledgerApiKey },
    });
    if (res.status === 404) return '0';
    const body = (await res.json()) as { balances: { currency: string; balanceMinor: string }[] };
    return body.balances.find((b) => b.currency === 'USD')?.balanceMinor ?? '0';
  };
  const balanceBecomes = (accountId: string, expected: string) =>
    waitFor(async () => ((await balance(accountId)) === expected ? true : undefined), 60_000, 250).catch(async (error) => {
      throw new Error(`${accountId}: balance ${await balance(accountId)}, expected ${expected} (${String(error)})`);
    });
  const asOperator = (token: string, path: string, body: unknown) =>
    fetch(`${stack.debit.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('books suspense on UNKNOWN, and settlement and fees once the checker approves the maker’s DEBITED proposal', async () => {
    const commandId = randomUUID();
    const accepted = await fetch(`${stack.debit.url}/v1/debits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.debitApiKey, 'Idempotency-Key': commandId },
      body: JSON.stringify({
        accountNumber: DROP_ACCOUNT,
        accountType: 'mmt',
        amount: { amountMinor: '1250', currency: 'USD' },
        receiptId: 'INV7007',
        description: 'Receipt for sales bill No. 7007',
      }),
    });
    expect(accepted.status).toBe(202);
    await waitFor(
      async () =>
        (
          (await (await fetch(`${stack.debit.url}/v1/debits/${commandId}`, { headers: { 'X-API-Key': keys.debitApiKey } })).json()) as {
            state: string;
          }
        ).state === 'UNKNOWN'
          ? true
          : undefined,
      60_000,
      250,
    );
    await balanceBecomes('bixi-suspense', '1250');

    // What Bixi booked (its support or portal would say; the sandbox recorded the answer it never delivered).
    const recorded = (await (await fetch(`${stack.sandbox.url}/__sandbox/requests?requestId=${commandId}`)).json()) as {
      requests: { unsentAnswer?: string }[];
    };
    expect(recorded.requests).toHaveLength(1);
    const tx = (parseJsonExact(recorded.requests[0]!.unsentAnswer!) as { data: { id: string; attributes: Record<string, unknown> } }).data;
    const charges = toMinorUnits(tx.attributes.charges, 'USD');
    const total = toMinorUnits(tx.attributes.total, 'USD');
    expect([charges.amountMinor, total.amountMinor]).toEqual(['38', '1212']);

    const [maker, checker] = await Promise.all([tokenFor('mia', 'maker'), tokenFor('carl', 'checker')]);
    const proposed = await asOperator(maker, `/v1/debits/${commandId}/resolutions`, {
      outcome: 'DEBITED',
      bixiTransactionId: tx.id,
      referenceId: tx.attributes.referenceId,
      issuerTransactionId: tx.attributes.issuerTransactionId,
      issuer: tx.attributes.issuer,
      charges,
      total,
      evidence: `Bixi portal shows transaction ${tx.id} approved for receipt INV7007`,
    });
    expect(proposed.status).toBe(201);
    const { proposalId } = (await proposed.json()) as { proposalId: string };
    expect((await asOperator(maker, `/v1/resolutions/${proposalId}/approve`, {})).status).toBe(403); // not their own
    expect(await balance('bixi-suspense')).toBe('1250');
    const approved = await asOperator(checker, `/v1/resolutions/${proposalId}/approve`, { reason: 'checked on the Bixi portal' });
    expect(approved.status).toBe(200);

    await balanceBecomes('bixi-suspense', '0');
    await balanceBecomes('bixi-settlement', '1212');
    await balanceBecomes('fees:bixi', '38');
    // Replayed: nothing moves twice.
    expect((await asOperator(checker, `/v1/resolutions/${proposalId}/approve`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect([await balance('bixi-suspense'), await balance('bixi-settlement'), await balance('fees:bixi')]).toEqual(['0', '1212', '38']);
  }, 120_000);
});
