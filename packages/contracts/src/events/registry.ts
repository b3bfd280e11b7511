import type { z } from 'zod';
import { Topics } from '../topics';
import {
  DEBIT_APPROVED,
  DEBIT_DECLINED,
  DEBIT_EXPIRED,
  DEBIT_FAILED,
  DEBIT_OUTCOME_RESOLVED,
  DEBIT_OUTCOME_UNKNOWN,
  DEBIT_REQUESTED,
  DebitApprovedEventSchema,
  DebitDeclinedEventSchema,
  DebitExpiredEventSchema,
  DebitFailedEventSchema,
  DebitOutcomeResolvedEventSchema,
  DebitOutcomeUnknownEventSchema,
  DebitRequestedEventSchema,
  type DebitRequestedEvent,
  type DebitResultEvent,
} from './debit';
import { CorrectionApprovedEventSchema, LEDGER_CORRECTION_APPROVED, type CorrectionApprovedEvent } from './correction';
import { PAYMENT_RECEIVED, PaymentReceivedEventSchema, type PaymentReceivedEvent } from './payment-received';

/** Every event type mm publishes, the topic it travels on and the schema a consumer checks it against. */
export const EventCatalog = {
  [PAYMENT_RECEIVED]: { topic: Topics.PaymentReceived, schema: PaymentReceivedEventSchema },
  [DEBIT_REQUESTED]: { topic: Topics.DebitRequested, schema: DebitRequestedEventSchema },
  [DEBIT_APPROVED]: { topic: Topics.DebitResult, schema: DebitApprovedEventSchema },
  [DEBIT_DECLINED]: { topic: Topics.DebitResult, schema: DebitDeclinedEventSchema },
  [DEBIT_FAILED]: { topic: Topics.DebitResult, schema: DebitFailedEventSchema },
  [DEBIT_OUTCOME_UNKNOWN]: { topic: Topics.DebitResult, schema: DebitOutcomeUnknownEventSchema },
  [DEBIT_EXPIRED]: { topic: Topics.DebitResult, schema: DebitExpiredEventSchema },
  [DEBIT_OUTCOME_RESOLVED]: { topic: Topics.DebitResult, schema: DebitOutcomeResolvedEventSchema },
  [LEDGER_CORRECTION_APPROVED]: { topic: Topics.LedgerCorrection, schema: CorrectionApprovedEventSchema },
} as const satisfies Record<string, { topic: string; schema: z.ZodType }>;

export type EventType = keyof typeof EventCatalog;

export type MmEvent = PaymentReceivedEvent | DebitRequestedEvent | DebitResultEvent | CorrectionApprovedEvent;

export const isKnownEventType = (type: string): type is EventType => Object.prototype.hasOwnProperty.call(EventCatalog, type);
