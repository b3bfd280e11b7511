import type { AccountType, DebitResultEvent, Money } from '@mm/contracts';
import type { BixiOutcome, SettledOutcome } from './bixi-outcome';
import type { DebitCommand, DebitState } from './debit-command';
import type { LimitBreach } from './debit-limits';

/** A command as stored, for the read API and for building results. */
export interface StoredDebit {
  commandId: string;
  state: DebitState;
  accountNumber: string;
  accountType: string;
  amount: Money | null;
  receiptId: string;
  description: string;
  correlationId: string;
  causationId: string | null;
  attempts: number;
  bixiTransactionId: string | null;
  bixiReferenceId: string | null;
  bixiIssuer: string | null;
  issuerTransactionId: string | null;
  bixiStatus: string | null;
  charges: Money | null;
  total: Money | null;
  reasons: string[] | null;
  createdAt: string;
  updatedAt: string;
}

/** An event to publish through the outbox, with its Kafka key (the payer's account). */
export interface OutgoingEvent {
  event: DebitResultEvent | { id: string; type: string };
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export type ReceiveResult = { kind: 'new'; claimed: boolean } | { kind: 'existing'; state: DebitState; sameRequest: boolean };
/** A claim: taken (true), held elsewhere or no longer RECEIVED (false), or refused by a debit limit (stored DECLINED). */
export type ClaimResult = boolean | { limitExceeded: LimitBreach; reason: string };
export type ExpireResult = { kind: 'expired' } | { kind: 'existing'; state: DebitState; sameRequest: boolean };

/** A command that could not be validated but names a commandId, stored as FAILED so a redelivery is recognised. */
export interface InvalidCommand {
  commandId: string;
  accountNumber: string;
  accountType: string;
  amount?: Money;
  receiptId: string;
  description: string;
  correlationId: string;
  causationId?: string;
  reasons: string[];
}

export const DEBIT_REPOSITORY = Symbol('DEBIT_REPOSITORY');

/** Persistence of the per-command state machine; every state change and its result event share one transaction. */
export interface DebitRepository {
  /**
   * Stores a new command as RECEIVED (with `request`, its DebitRequested event for the outbox) — or directly as
   * SUBMITTING for `claimFor` — or reports the stored one.
   */
  receive(command: DebitCommand, fingerprint: Buffer, request?: OutgoingEvent, claimFor?: string): Promise<ReceiveResult>;
  recordInvalid(command: InvalidCommand, result: OutgoingEvent): Promise<boolean>;
  /**
   * Stores a command past its deadline as EXPIRED with its result — new, or still RECEIVED with the same request —
   * or reports the stored one untouched (so a redelivery publishes nothing).
   */
  expire(command: DebitCommand, fingerprint: Buffer, deadline: Date, reason: string, result: OutgoingEvent): Promise<ExpireResult>;
  /**
   * RECEIVED → SUBMITTING for `owner`; false when another instance or an earlier attempt owns it. With debit limits
   * configured, a command over one is stored DECLINED instead, with `overLimit(reason)` (its result) in the outbox.
   */
  claim(commandId: string, owner: string, overLimit?: (reason: string) => OutgoingEvent): Promise<ClaimResult>;
  /** SUBMITTING → RECEIVED, only after a request that provably never left. */
  release(commandId: string, owner: string): Promise<boolean>;
  finish(commandId: string, owner: string, outcome: BixiOutcome, result: OutgoingEvent): Promise<boolean>;
  /**
   * UNKNOWN → the real outcome, when `owner`'s own Bixi call answered after the sweep had reported it UNKNOWN; the
   * state change and `resolution` (mm.debit.outcome-resolved.v1) share one statement. False if already resolved.
   */
  resolveLate(commandId: string, owner: string, outcome: SettledOutcome, resolution: OutgoingEvent): Promise<boolean>;
  /** SUBMITTING rows older than `olderThanMs` (their process stopped mid-call) become UNKNOWN, each with its result. */
  markStuckUnknown(olderThanMs: number, reason: string, result: (row: StoredDebit) => OutgoingEvent): Promise<StoredDebit[]>;
  find(commandId: string): Promise<StoredDebit | undefined>;
  list(state: DebitState, limit: number, afterCommandId?: string): Promise<StoredDebit[]>;
}

export type { AccountType };
