import {
  createEnvelope,
  DEBIT_APPROVED,
  DEBIT_DECLINED,
  DEBIT_EXPIRED,
  DEBIT_FAILED,
  DEBIT_OUTCOME_RESOLVED,
  DEBIT_OUTCOME_UNKNOWN,
  ServiceNames,
  toKafkaMessage,
  Topics,
  type AccountType,
  type DebitResultEvent,
  type Money,
  type ResolutionSource,
} from '@mm/contracts';
import type { BixiOutcome, SettledOutcome } from './bixi-outcome';
import type { DebitCommand } from './debit-command';
import type { OutgoingEvent } from './debit.repository';

/** What every result repeats from its command. */
export interface ResultSubject {
  commandId: string;
  accountNumber: string;
  accountType: string;
  amount?: Money | null;
  receiptId: string;
  correlationId: string;
  causationId?: string | null;
}

const SOURCE = `mm/${ServiceNames.Debit}`;

const metaOf = (s: ResultSubject) => ({
  source: SOURCE,
  subject: s.commandId,
  correlationId: s.correlationId,
  ...(s.causationId ? { causationId: s.causationId } : {}),
});

/** The outbox row of a result event: on the result topic, keyed by the payer's account like its command. */
function outgoing(event: DebitResultEvent, key: string): OutgoingEvent {
  const message = toKafkaMessage(event, key);
  return { event, topic: Topics.DebitResult, key, value: String(message.value), headers: message.headers as Record<string, string> };
}

/** The result of a command that missed its deadline: validated commands only, so amount and account are sound. */
export function expiredResult(
  c: Pick<DebitCommand, 'commandId' | 'accountNumber' | 'accountType' | 'amount' | 'receiptId' | 'correlationId' | 'causationId'>,
  deadline: Date,
  reason: string,
): OutgoingEvent {
  const data = {
    commandId: c.commandId,
    accountNumber: c.accountNumber,
    accountType: c.accountType,
    amount: c.amount,
    receiptId: c.receiptId,
    deadline: deadline.toISOString(),
    reason,
  };
  return outgoing(createEnvelope({ type: DEBIT_EXPIRED, data, ...metaOf(c) }), c.accountNumber);
}

/** Builds the result event of a final outcome, ready for the outbox, keyed by the payer's account. */
export function resultFor(s: ResultSubject, outcome: BixiOutcome): OutgoingEvent {
  const meta = metaOf(s);
  let event: DebitResultEvent;
  if (outcome.state === 'FAILED' || !s.amount) {
    const reasons = outcome.state === 'FAILED' ? outcome.reasons : ['command has no valid amount'];
    const data = {
      commandId: s.commandId,
      accountNumber: s.accountNumber.slice(0, 64),
      accountType: s.accountType.slice(0, 32),
      receiptId: s.receiptId.slice(0, 64),
      ...(s.amount ? { amount: s.amount } : {}),
      reasons: reasons.map((r) => r.slice(0, 1024)).slice(0, 20),
    };
    event = createEnvelope({ type: DEBIT_FAILED, data, ...meta });
  } else {
    const base = {
      commandId: s.commandId,
      accountNumber: s.accountNumber,
      accountType: s.accountType as AccountType,
      amount: s.amount,
      receiptId: s.receiptId,
    };
    if (outcome.state === 'APPROVED') {
      const { bixiStatus: _status, ...transaction } = outcome.transaction;
      event = createEnvelope({ type: DEBIT_APPROVED, data: { ...base, ...transaction }, ...meta });
    } else if (outcome.state === 'DECLINED') {
      event = createEnvelope({
        type: DEBIT_DECLINED,
        data: {
          ...base,
          reason: outcome.reason.slice(0, 1024),
          bixiStatus: outcome.bixiStatus,
          bixiTransactionId: outcome.bixiTransactionId,
        },
        ...meta,
      });
    } else {
      event = createEnvelope({ type: DEBIT_OUTCOME_UNKNOWN, data: { ...base, reason: outcome.reason.slice(0, 1024) }, ...meta });
    }
  }
  return outgoing(event, s.accountNumber);
}

/**
 * The event that settles an UNKNOWN command (`mm.debit.outcome-resolved.v1`): DEBITED with Bixi's transaction, or
 * NOT_DEBITED with the reason. Only commands with a valid amount can have been sent, hence reach UNKNOWN.
 */
export function resolutionFor(s: ResultSubject & { amount: Money }, outcome: SettledOutcome, resolution: ResolutionSource): OutgoingEvent {
  const base = {
    commandId: s.commandId,
    accountNumber: s.accountNumber,
    accountType: s.accountType as AccountType,
    amount: s.amount,
    receiptId: s.receiptId,
    resolution,
  };
  let data;
  if (outcome.state === 'APPROVED') {
    const { bixiStatus: _status, ...transaction } = outcome.transaction;
    data = { ...base, outcome: 'DEBITED' as const, ...transaction };
  } else if (outcome.state === 'DECLINED') {
    data = {
      ...base,
      outcome: 'NOT_DEBITED' as const,
      reason: outcome.reason.slice(0, 1024),
      bixiStatus: outcome.bixiStatus,
      bixiTransactionId: outcome.bixiTransactionId,
    };
  } else {
    data = { ...base, outcome: 'NOT_DEBITED' as const, reason: outcome.reasons.join('; ').slice(0, 1024) };
  }
  return outgoing(createEnvelope({ type: DEBIT_OUTCOME_RESOLVED, data, ...metaOf(s) }), s.accountNumber);
}
