import {
  CorrectionApprovedEventSchema,
  createEnvelope,
  LEDGER_CORRECTION_APPROVED,
  toKafkaMessage,
  uuidv4,
  uuidv7,
  type CorrectableEventTypeSchema,
  type MmEvent,
  type ProposeCorrection,
} from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { reversal } from './reversal';
import {
  CORRECTION_REPOSITORY,
  CorrectionError,
  type Correction,
  type CorrectionRepository,
  type CorrectionTransaction,
} from './corrections';

export const LEDGER_EVENT_SOURCE = '/mm/ledger';

/**
 * Corrections by two operators (SPEC §9): a maker proposes reversing (part of) a booked payment or debit, a different
 * checker approves (publishing `mm.ledger.correction-approved.v1` through the ledger's outbox) or rejects it. The amount
 * is checked against what is left to reverse when proposed and again, under the original's lock, when approved.
 */
@Injectable()
export class CorrectEntryUseCase {
  constructor(@Inject(CORRECTION_REPOSITORY) private readonly repository: CorrectionRepository) {}

  propose(operator: Operator, p: ProposeCorrection, correlationId?: string): Promise<Correction> {
    return this.repository.underOriginalLock(p.eventId, async (tx) => {
      const original = await checkedReversal(tx, p.eventId, p.amount);
      const proposal = await tx.insert({
        id: uuidv4(),
        originalEventId: p.eventId,
        originalType: original.type,
        amount: p.amount,
        reason: p.reason,
        makerId: operator.sub,
      });
      await tx.audit({
        operator,
        action: 'correction.propose',
        subject: `correction:${proposal.id}`,
        reason: p.reason,
        details: { originalEventId: p.eventId, amount: p.amount },
        ...(correlationId ? { correlationId } : {}),
      });
      return proposal;
    });
  }

  /** Approving an approved proposal again answers the same and publishes nothing more. */
  async approve(operator: Operator, id: string, correlationId?: string): Promise<Correction> {
    const found = await this.find(id);
    const decided = await this.repository.underOriginalLock(found.originalEventId, async (tx) => {
      const proposal = await decidable(tx, id, operator);
      if (proposal.state === 'APPROVED') return { proposal, published: false };
      if (proposal.state === 'REJECTED') throw new CorrectionError('ALREADY_DECIDED', `correction ${id} was rejected`);
      const amount = proposal.amount as ProposeCorrection['amount'];
      const original = await checkedReversal(tx, proposal.originalEventId, amount);
      const correctionId = uuidv7();
      const event = createEnvelope({
        id: correctionId,
        type: LEDGER_CORRECTION_APPROVED,
        source: LEDGER_EVENT_SOURCE,
        subject: proposal.originalEventId,
        correlationId: original.correlationid,
        causationId: original.id,
        data: {
          correctionId,
          proposalId: proposal.id,
          originalEventId: proposal.originalEventId,
          originalEventType: original.type as z.infer<typeof CorrectableEventTypeSchema>,
          amount,
          reason: proposal.reason,
          makerId: proposal.makerId,
          checkerId: operator.sub,
        },
      });
      CorrectionApprovedEventSchema.parse(event);
      const approved = await tx.approve(id, operator.sub, correctionId);
      const message = toKafkaMessage(event, proposal.originalEventId);
      await tx.publish({
        id: correctionId,
        key: proposal.originalEventId,
        value: message.value as string,
        headers: message.headers as Record<string, string>,
      });
      await tx.audit({
        operator,
        action: 'correction.approve',
        subject: `correction:${id}`,
        details: { correctionId, originalEventId: proposal.originalEventId, amount: proposal.amount },
        ...(correlationId ? { correlationId } : {}),
      });
      return { proposal: approved, published: true };
    });
    if (decided.published) this.repository.notifyPublished();
    return decided.proposal;
  }

  /** Rejecting a rejected proposal again answers the same; an approved one cannot be rejected. */
  async reject(operator: Operator, id: string, reason: string, correlationId?: string): Promise<Correction> {
    const found = await this.find(id);
    return this.repository.underOriginalLock(found.originalEventId, async (tx) => {
      const proposal = await decidable(tx, id, operator);
      if (proposal.state === 'REJECTED') return proposal;
      if (proposal.state === 'APPROVED') throw new CorrectionError('ALREADY_DECIDED', `correction ${id} was approved`);
      const rejected = await tx.reject(id, operator.sub, reason);
      await tx.audit({
        operator,
        action: 'correction.reject',
        subject: `correction:${id}`,
        reason,
        details: { originalEventId: proposal.originalEventId },
        ...(correlationId ? { correlationId } : {}),
      });
      return rejected;
    });
  }

  async find(id: string): Promise<Correction> {
    const found = await this.repository.find(id);
    if (!found) throw new CorrectionError('NOT_FOUND', `no correction ${id}`);
    return found;
  }
}

/** The proposal, locked; refused to its own maker (nobody decides their own proposal). */
async function decidable(tx: CorrectionTransaction, id: string, operator: Operator): Promise<Correction> {
  const proposal = await tx.lock(id);
  if (!proposal) throw new CorrectionError('NOT_FOUND', `no correction ${id}`);
  if (proposal.makerId === operator.sub) {
    throw new CorrectionError('OWN_PROPOSAL', 'a correction must be decided by a checker other than its maker');
  }
  return proposal;
}

/** The original event, once `amount` is known to be reversible from what approved corrections left of it. */
async function checkedReversal(tx: CorrectionTransaction, eventId: string, amount: ProposeCorrection['amount']): Promise<MmEvent> {
  const original = await tx.original(eventId);
  if (!original) throw new CorrectionError('ORIGINAL_NOT_FOUND', `event ${eventId} is not in the ledger`);
  if ('unparsable' in original) throw new CorrectionError('NOT_CORRECTABLE', `event ${eventId} cannot be read: ${original.unparsable}`);
  const r = reversal(original.event, amount, await tx.approvedTotal(eventId));
  if (!r.ok) throw new CorrectionError(r.code, r.reason);
  return original.event;
}
