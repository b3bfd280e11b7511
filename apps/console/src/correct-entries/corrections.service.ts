import type { CorrectionView, Page, ProposeCorrection } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { passThrough, requireRole } from '../resolve-unknown/resolutions.service';
import { ServicesClient } from '../upstream/services.client';

/** How many corrections the page lists at once. */
const PAGE = 50;

/**
 * Corrections by two operators through the ledger's operator routes (SPEC §9): a maker proposes reversing (part of) a
 * booked entry, another operator with the checker role approves or rejects it. The console refuses what the roles do
 * not allow, and a checker their own proposal, before calling (and the ledger refuses them too).
 */
@Injectable()
export class CorrectionsService {
  constructor(private readonly services: ServicesClient) {}

  async list(q: { state?: string; cursor?: string }, operator: Operator): Promise<Page<CorrectionView>> {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.state) params.set('state', q.state);
    if (q.cursor) params.set('cursor', q.cursor);
    return passThrough(await this.services.get<Page<CorrectionView>>('ledger', `/v1/corrections?${params}`, operator), 'the ledger');
  }

  async find(id: string, operator: Operator): Promise<CorrectionView> {
    return passThrough(
      await this.services.get<CorrectionView>('ledger', `/v1/corrections/${encodeURIComponent(id)}`, operator),
      'the ledger',
    );
  }

  async propose(draft: ProposeCorrection, operator: Operator): Promise<CorrectionView> {
    requireRole(operator, 'maker', 'propose a correction');
    return passThrough(await this.services.post<CorrectionView>('ledger', '/v1/corrections', operator, draft), 'the ledger');
  }

  async decide(id: string, decision: 'approve' | 'reject', body: { reason?: string }, operator: Operator): Promise<CorrectionView> {
    requireRole(operator, 'checker', `${decision} a correction`);
    const proposal = await this.find(id, operator);
    if (proposal.makerId === operator.sub) throw new ForbiddenException(`nobody may ${decision} their own correction`);
    const path = `/v1/corrections/${encodeURIComponent(id)}/${decision}`;
    return passThrough(await this.services.post<CorrectionView>('ledger', path, operator, body), 'the ledger');
  }
}
