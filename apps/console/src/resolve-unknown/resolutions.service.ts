import type { OpenSuspense, ProposeResolution, ResolutionProposal } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { BadGatewayException, ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { ServicesClient, type Upstream } from '../upstream/services.client';

/** How many UNKNOWN debits and open proposals the page lists at once (the services' page size). */
const PAGE = 100;

/** A service's answer as the console's: a 2xx body, the service's own 4xx (message and details kept), else 502. */
export function passThrough<T>(upstream: Upstream<T>, service: string): T {
  if (upstream.status !== 'unavailable' && upstream.status >= 200 && upstream.status < 300) return upstream.body;
  if (upstream.status !== 'unavailable' && upstream.status >= 400 && upstream.status < 500 && upstream.status !== 401) {
    const body = (upstream.body ?? {}) as { message?: unknown; details?: unknown };
    const message = typeof body.message === 'string' ? body.message : `${service} refused it`;
    throw new HttpException({ message, ...(Array.isArray(body.details) ? { details: body.details } : {}) }, upstream.status);
  }
  throw new BadGatewayException(`${service} could not answer`);
}

/** Refuses (403) an operator without `role` before any call to a service; the service checks the role again. */
export const requireRole = (operator: Operator, role: 'maker' | 'checker', what: string) => {
  if (!operator.roles.includes(role)) throw new ForbiddenException(`only an operator with the ${role} role may ${what}`);
};

/**
 * Maker-checker resolution of UNKNOWN debits through payment-debit's operator routes, with the ledger's open suspense
 * beside the queue. The console refuses what the roles do not allow before calling (and the service refuses it too).
 */
@Injectable()
export class ResolutionsService {
  constructor(private readonly services: ServicesClient) {}

  /** The UNKNOWN queue, the open proposals and the ledger's open suspense, read together. */
  async queue(operator: Operator) {
    const [debits, proposals, suspense] = await Promise.all([
      this.services.get<{ items: unknown[]; nextCursor: string | null }>(
        'payment-debit',
        `/v1/debits?state=UNKNOWN&limit=${PAGE}`,
        operator,
      ),
      this.services.get<{ items: ResolutionProposal[] }>('payment-debit', `/v1/resolutions?state=PROPOSED&limit=${PAGE}`, operator),
      this.services.get<OpenSuspense>('ledger', `/v1/suspense?limit=${PAGE}`, operator),
    ]);
    const open = passThrough(suspense, 'the ledger');
    return {
      debits: passThrough(debits, 'payment-debit'),
      proposals: passThrough(proposals, 'payment-debit').items,
      suspense: { asOf: open.asOf, totals: open.totals, byAge: open.byAge, items: open.items },
    };
  }

  async propose(commandId: string, draft: ProposeResolution, operator: Operator): Promise<ResolutionProposal> {
    requireRole(operator, 'maker', 'propose an outcome');
    const path = `/v1/debits/${encodeURIComponent(commandId)}/resolutions`;
    return passThrough(await this.services.post<ResolutionProposal>('payment-debit', path, operator, draft), 'payment-debit');
  }

  async decide(proposalId: string, decision: 'approve' | 'reject', body: { reason?: string }, operator: Operator) {
    requireRole(operator, 'checker', `${decision} a proposal`);
    const id = encodeURIComponent(proposalId);
    const proposal = passThrough(
      await this.services.get<ResolutionProposal>('payment-debit', `/v1/resolutions/${id}`, operator),
      'payment-debit',
    );
    if (proposal.makerId === operator.sub) throw new ForbiddenException(`nobody may ${decision} their own proposal`);
    return passThrough(
      await this.services.post<ResolutionProposal>('payment-debit', `/v1/resolutions/${id}/${decision}`, operator, body),
      'payment-debit',
    );
  }
}
