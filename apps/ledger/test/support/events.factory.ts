import {
  createEnvelope,
  DEBIT_APPROVED,
  DEBIT_DECLINED,
  DEBIT_EXPIRED,
  DEBIT_FAILED,
  DEBIT_OUTCOME_RESOLVED,
  DEBIT_OUTCOME_UNKNOWN,
  DEBIT_REQUESTED,
  LEDGER_CORRECTION_APPROVED,
  PAYMENT_RECEIVED,
  uuidv4,
  uuidv7,
  type CorrectionApprovedEvent,
  type Currency,
  type DebitApprovedEvent,
  type DebitDeclinedEvent,
  type DebitExpiredEvent,
  type DebitOutcomeResolvedEvent,
  type DebitFailedEvent,
  type DebitOutcomeUnknownEvent,
  type DebitRequestedEvent,
  type PaymentReceivedEvent,
} from '@mm/contracts';

const source = '/ledger-tests';

export function paymentEvent(
  o: {
    providerId?: string;
    customerId?: string;
    amountMinor?: string;
    currency?: Currency;
    operator?: string;
    time?: Date;
    msisdn?: string;
    transactionId?: string;
    accountNumber?: string;
  } = {},
): PaymentReceivedEvent {
  const paymentId = uuidv7();
  return createEnvelope({
    type: PAYMENT_RECEIVED,
    source,
    subject: paymentId,
    correlationId: uuidv4(),
    ...(o.time ? { time: o.time } : {}),
    data: {
      paymentId,
      providerId: o.providerId ?? '200',
      customerId: o.customerId ?? '12000',
      messageId: uuidv4(),
      transactionId: o.transactionId ?? `tx-${uuidv4()}`,
      amount: { amountMinor: o.amountMinor ?? '200', currency: o.currency ?? 'RWF' },
      subscriberMsisdn: o.msisdn ?? '+250786474859',
      ...(o.accountNumber ? { accountNumber: o.accountNumber } : {}),
      operator: o.operator ?? 'Mobile_provider',
      smsSupport: true,
      receivedAt: new Date().toISOString(),
    },
  }) as PaymentReceivedEvent;
}

export interface DebitSpec {
  commandId?: string;
  accountNumber?: string;
  amountMinor?: string;
  time?: Date;
}

const command = (o: DebitSpec) => ({
  commandId: o.commandId ?? uuidv4(),
  accountNumber: o.accountNumber ?? '252600000000',
  accountType: 'mmt' as const,
  amount: { amountMinor: o.amountMinor ?? '100', currency: 'USD' as const },
  receiptId: '123456',
});

export function debitRequested(o: DebitSpec = {}): DebitRequestedEvent {
  const data = { ...command(o), description: 'Receipt for sales bill No. 123456' };
  return createEnvelope({
    type: DEBIT_REQUESTED,
    source,
    subject: data.commandId,
    correlationId: uuidv4(),
    data,
    ...(o.time ? { time: o.time } : {}),
  }) as DebitRequestedEvent;
}

/** Bixi's answer to a request: `total` is the amount net of `charges`, as in the seed's example (1.00 = 0.97 + 0.03). */
export function debitApproved(request: DebitRequestedEvent, chargesMinor = '3', issuer = 'hormuud'): DebitApprovedEvent {
  const { description: _d, requestedBy: _r, ...base } = request.data;
  const total = (BigInt(base.amount.amountMinor) - BigInt(chargesMinor)).toString();
  return resultEnvelope(DEBIT_APPROVED, request, {
    ...base,
    bixiTransactionId: uuidv4(),
    issuer,
    charges: { amountMinor: chargesMinor, currency: 'USD' as const },
    total: { amountMinor: total, currency: 'USD' as const },
  }) as DebitApprovedEvent;
}

export function debitDeclined(request: DebitRequestedEvent): DebitDeclinedEvent {
  const { description: _d, requestedBy: _r, ...base } = request.data;
  return resultEnvelope(DEBIT_DECLINED, request, { ...base, reason: 'insufficient funds' }) as DebitDeclinedEvent;
}

export function debitFailed(request: DebitRequestedEvent): DebitFailedEvent {
  const { description: _d, requestedBy: _r, ...base } = request.data;
  return resultEnvelope(DEBIT_FAILED, request, { ...base, reasons: ['receiptId rejected'] }) as DebitFailedEvent;
}

export function debitUnknown(request: DebitRequestedEvent): DebitOutcomeUnknownEvent {
  const { description: _d, requestedBy: _r, ...base } = request.data;
  return resultEnvelope(DEBIT_OUTCOME_UNKNOWN, request, { ...base, reason: 'Bixi timed out' }) as DebitOutcomeUnknownEvent;
}

export function debitExpired(request: DebitRequestedEvent): DebitExpiredEvent {
  const { description: _d, requestedBy: _r, expiresAt: _e, ...base } = request.data;
  return resultEnvelope(DEBIT_EXPIRED, request, { ...base, deadline: request.time, reason: 'deadline passed' }) as DebitExpiredEvent;
}

/** The late answer to an UNKNOWN request: DEBITED (total = amount − charges, as Bixi answers) or NOT_DEBITED. */
export function debitResolved(
  request: DebitRequestedEvent,
  outcome: 'DEBITED' | 'NOT_DEBITED',
  chargesMinor = '3',
): DebitOutcomeResolvedEvent {
  const { description: _d, requestedBy: _r, expiresAt: _e, ...base } = request.data;
  const resolution = { kind: 'late-answer' as const, answeredAt: new Date().toISOString(), evidence: 'Bixi answered after the sweep' };
  const data =
    outcome === 'DEBITED'
      ? {
          ...base,
          outcome,
          resolution,
          bixiTransactionId: uuidv4(),
          charges: { amountMinor: chargesMinor, currency: 'USD' as const },
          total: { amountMinor: (BigInt(base.amount.amountMinor) - BigInt(chargesMinor)).toString(), currency: 'USD' as const },
        }
      : { ...base, outcome, resolution, reason: 'Bixi status declined' };
  return resultEnvelope(DEBIT_OUTCOME_RESOLVED, request, data) as DebitOutcomeResolvedEvent;
}

function resultEnvelope<T extends string, D>(type: T, request: DebitRequestedEvent, data: D) {
  return createEnvelope({
    type,
    source,
    subject: request.data.commandId,
    correlationId: request.correlationid,
    causationId: request.id,
    data,
  });
}

/** An approved correction of `originalEventId` as the ledger's outbox would publish it (RWF), whoever really wrote it. */
export function correctionApproved(
  originalEventId: string,
  amountMinor: string,
  o: { originalEventType?: 'mm.payment.received.v1'; reason?: string } = {},
): CorrectionApprovedEvent {
  return createEnvelope({
    id: uuidv7(),
    type: LEDGER_CORRECTION_APPROVED,
    source: '/mm/ledger',
    subject: originalEventId,
    correlationId: uuidv4(),
    data: {
      correctionId: uuidv7(),
      proposalId: uuidv4(),
      originalEventId,
      originalEventType: o.originalEventType ?? 'mm.payment.received.v1',
      amount: { amountMinor, currency: 'RWF' } as never,
      reason: o.reason ?? 'forged',
      makerId: 'm',
      checkerId: 'c',
    },
  });
}
