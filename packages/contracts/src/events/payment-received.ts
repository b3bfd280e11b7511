import { z } from 'zod';
import { envelopeSchema, type Envelope } from '../envelope';
import { MoneySchema } from '../money';

export const PAYMENT_RECEIVED = 'mm.payment.received.v1' as const;

const optionalText = (max: number) => z.string().max(max).optional();

/** A provider's payment notification, accepted and normalised by notification-ingest. */
export const PaymentReceivedSchema = z.object({
  paymentId: z.string().min(1).max(64),
  providerId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
  messageId: z.string().min(1).max(128),
  transactionId: z.string().min(1).max(128),
  amount: MoneySchema,
  subscriberMsisdn: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/)
    .optional(),
  countryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  operator: optionalText(128),
  reference: optionalText(256),
  transactionReference: optionalText(256),
  internalTransactionId: optionalText(256),
  businessNumber: optionalText(64),
  accountNumber: optionalText(128),
  transactionType: optionalText(64),
  firstName: optionalText(256),
  lastName: optionalText(256),
  smsSupport: z.boolean(),
  messageTimestamp: z.iso.datetime().optional(),
  receivedAt: z.iso.datetime(),
});
export type PaymentReceived = z.infer<typeof PaymentReceivedSchema>;
export const PaymentReceivedEventSchema = envelopeSchema(PAYMENT_RECEIVED, PaymentReceivedSchema);
export type PaymentReceivedEvent = Envelope<typeof PAYMENT_RECEIVED, PaymentReceived>;
