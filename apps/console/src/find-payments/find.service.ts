import type { SearchQuery } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { ServicesClient, type Upstream } from '../upstream/services.client';

const PAGE = 50;

/** A UTC day as the ledger's from (inclusive) and to (exclusive). */
const dayRange = (date: string) => {
  const from = new Date(`${date}T00:00:00.000Z`);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
};

/** Find a payment or a debit through the ledger's read API, and open one with its events, postings and states. */
@Injectable()
export class FindService {
  constructor(private readonly services: ServicesClient) {}

  search(q: SearchQuery, operator: Operator): Promise<Upstream<unknown>> {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.date) for (const [k, v] of Object.entries(dayRange(q.date))) params.set(k, v);
    if (q.cursor) params.set('cursor', q.cursor);
    if (q.kind === 'payments') {
      if (q.providerId) params.set('providerId', q.providerId);
      if (q.customerId) params.set('customerId', q.customerId);
      return this.services.get('ledger', `/v1/payments?${params}`, operator);
    }
    if (q.state) params.set('state', q.state);
    if (q.accountNumber) params.set('accountNumber', q.accountNumber);
    return this.services.get('ledger', `/v1/debits?${params}`, operator);
  }

  payment(paymentId: string, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', `/v1/payments/${encodeURIComponent(paymentId)}`, operator);
  }

  debit(commandId: string, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', `/v1/debits/${encodeURIComponent(commandId)}`, operator);
  }
}
