import type { SearchQuery } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { ServicesClient, type Upstream } from '../upstream/services.client';

const PAGE = 50;
/** The keys each of the ledger's lists filters on, passed through as validated (the msisdn already in E.164). */
const PAYMENT_KEYS = ['providerId', 'customerId', 'msisdn', 'transactionId', 'accountNumber'] as const;
const DEBIT_KEYS = ['commandId', 'accountNumber', 'state'] as const;

/** A UTC day as the ledger's from (inclusive) and to (exclusive). */
const dayRange = (date: string) => {
  const from = new Date(`${date}T00:00:00.000Z`);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
};

/** The ledger list and query a console search asks for; the keys of the other kind are left out. */
export function ledgerSearchPath(q: SearchQuery): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (q.date) for (const [k, v] of Object.entries(dayRange(q.date))) params.set(k, v);
  if (q.cursor) params.set('cursor', q.cursor);
  for (const key of q.kind === 'payments' ? PAYMENT_KEYS : DEBIT_KEYS) {
    const value = q[key];
    if (value) params.set(key, value);
  }
  return `/v1/${q.kind}?${params}`;
}

/** Find a payment or a debit through the ledger's read API, and open one with its events, postings and states. */
@Injectable()
export class FindService {
  constructor(private readonly services: ServicesClient) {}

  search(q: SearchQuery, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', ledgerSearchPath(q), operator);
  }

  payment(paymentId: string, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', `/v1/payments/${encodeURIComponent(paymentId)}`, operator);
  }

  debit(commandId: string, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', `/v1/debits/${encodeURIComponent(commandId)}`, operator);
  }
}
