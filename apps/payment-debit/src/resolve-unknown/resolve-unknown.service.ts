import { uuidv7 } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { resolutionFor } from '../debits/debit-results';
import { RESOLUTION_REPOSITORY, type ProposalFilter, type ResolutionRepository, type ResolutionTx } from './resolution.repository';
import {
  evidenceOf,
  refusalOf,
  ResolutionError,
  settledOutcomeOf,
  type ProposeResolution,
  type ResolutionProposal,
} from './resolution-proposal';

/**
 * Maker-checker resolution of UNKNOWN debits (SPEC §9). A maker proposes the real outcome with evidence; a different
 * checker approves it — the proposal, the command's outcome with its `mm.debit.outcome-resolved.v1` and the audit
 * record commit together — or rejects it. Approving an approved proposal again books nothing and answers the same.
 */
@Injectable()
export class ResolveUnknownService {
  private readonly logger = new Logger(ResolveUnknownService.name);

  constructor(@Inject(RESOLUTION_REPOSITORY) private readonly repository: ResolutionRepository) {}

  propose(commandId: string, draft: ProposeResolution, maker: Operator): Promise<ResolutionProposal> {
    return this.repository.inTransaction(async (tx) => {
      const command = await tx.lockCommand(commandId);
      if (!command) throw new ResolutionError('COMMAND_NOT_FOUND', `no debit ${commandId}`);
      const refusal = refusalOf(command, draft);
      if (refusal) throw refusal;
      const open = await tx.openProposalOf(commandId);
      if (open)
        throw new ResolutionError('OPEN_PROPOSAL', `debit ${commandId} already has an open proposal ${open}; a checker decides it first`);
      const proposal = await tx.insert(uuidv7(), commandId, draft, maker);
      const { evidence, ...claim } = draft;
      await tx.audit({
        operator: maker,
        action: 'resolution.propose',
        subject: `debit:${commandId}`,
        reason: evidence,
        details: { proposalId: proposal.proposalId, ...claim },
        correlationId: command.correlationId,
      });
      return proposal;
    });
  }

  async approve(proposalId: string, checker: Operator, reason?: string): Promise<ResolutionProposal> {
    const result = await this.repository.inTransaction(async (tx) => {
      const proposal = await this.decidable(tx, proposalId, checker);
      if (proposal.state === 'APPROVED') return { proposal, lapsed: false, booked: false }; // a replay: booked once already
      if (proposal.state === 'REJECTED') throw new ResolutionError('ALREADY_DECIDED', `proposal ${proposalId} was rejected`);
      const command = (await tx.lockCommand(proposal.commandId))!;
      const outcome = settledOutcomeOf(proposal);
      const source = {
        kind: 'operator' as const,
        makerId: proposal.makerId,
        checkerId: checker.sub,
        proposalId,
        evidence: evidenceOf(proposal),
      };
      const resolved =
        command.state === 'UNKNOWN' &&
        (await tx.resolve(proposal.commandId, outcome, resolutionFor({ ...command, amount: command.amount! }, outcome, source)));
      const audit = { operator: checker, subject: `proposal:${proposalId}`, correlationId: command.correlationId };
      if (!resolved) {
        // Settled meanwhile (a late answer, a statement match): the proposal can never apply, so it is closed.
        const why = `refused on approval: debit ${command.commandId} is no longer UNKNOWN (now ${command.state})`;
        await tx.audit({
          ...audit,
          action: 'resolution.lapse',
          reason: why,
          details: { commandId: command.commandId, state: command.state },
        });
        return { proposal: await tx.decide(proposalId, 'REJECTED', checker.sub, why), lapsed: true, booked: false };
      }
      const details = { commandId: proposal.commandId, outcome: proposal.outcome, makerId: proposal.makerId };
      await tx.audit({ ...audit, action: 'resolution.approve', reason, details });
      return { proposal: await tx.decide(proposalId, 'APPROVED', checker.sub, reason ?? null), lapsed: false, booked: true };
    });
    if (result.lapsed) throw new ResolutionError('NO_LONGER_UNKNOWN', result.proposal.decisionReason!);
    if (result.booked) {
      const { commandId, outcome, makerId, checkerId } = result.proposal;
      this.logger.warn({ proposalId, commandId, outcome, makerId, checkerId }, 'UNKNOWN debit resolved by maker-checker');
    }
    return result.proposal;
  }

  reject(proposalId: string, checker: Operator, reason: string): Promise<ResolutionProposal> {
    return this.repository.inTransaction(async (tx) => {
      const proposal = await this.decidable(tx, proposalId, checker);
      if (proposal.state === 'REJECTED') return proposal;
      if (proposal.state === 'APPROVED') throw new ResolutionError('ALREADY_DECIDED', `proposal ${proposalId} was approved and booked`);
      await tx.audit({
        operator: checker,
        action: 'resolution.reject',
        subject: `proposal:${proposalId}`,
        reason,
        details: { commandId: proposal.commandId, outcome: proposal.outcome, makerId: proposal.makerId },
      });
      return tx.decide(proposalId, 'REJECTED', checker.sub, reason);
    });
  }

  async find(proposalId: string): Promise<ResolutionProposal> {
    const proposal = await this.repository.find(proposalId);
    if (!proposal) throw new ResolutionError('PROPOSAL_NOT_FOUND', `no proposal ${proposalId}`);
    return proposal;
  }

  /** Newest first, one extra row for the page's next cursor. */
  list(filter: ProposalFilter): Promise<ResolutionProposal[]> {
    return this.repository.list(filter);
  }

  /** The proposal, locked, when `checker` may decide it: nobody decides their own proposal. */
  private async decidable(tx: ResolutionTx, proposalId: string, checker: Operator): Promise<ResolutionProposal> {
    const proposal = await tx.lockProposal(proposalId);
    if (!proposal) throw new ResolutionError('PROPOSAL_NOT_FOUND', `no proposal ${proposalId}`);
    if (proposal.makerId === checker.sub) {
      throw new ResolutionError('OWN_PROPOSAL', `${checker.sub} proposed this resolution and cannot decide it: another checker must`);
    }
    return proposal;
  }
}
