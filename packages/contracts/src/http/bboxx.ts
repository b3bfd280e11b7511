import { z } from 'zod';
import { integerTextOf, JsonDecimalSchema } from '../json-exact';

/** Header names of the BBOXX notification API (matched case-insensitively). */
export const BboxxHeaders = {
  Authorization: 'authorization',
  MessageId: 'messageid',
  MessageTimestamp: 'messagetimestamp',
  SmsSupport: 'smssupport',
} as const;

/** Wire rules of the notification's path and headers (ingest checks them; its OpenAPI document shows them). */
export const BBOXX_ROUTE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const BBOXX_MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** `YYYYMMDDHHmmss` in UTC; not signed, so informational only. */
export const BBOXX_MESSAGE_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
export const BboxxRouteIdSchema = z.string().regex(BBOXX_ROUTE_ID);
export const BboxxMessageIdSchema = z.string().regex(BBOXX_MESSAGE_ID);
export const BboxxMessageTimestampSchema = z.string().regex(BBOXX_MESSAGE_TIMESTAMP);
export const BboxxSmsSupportSchema = z.enum(['Y', 'N']);

/** A JSON integer (as `parseJsonExact` keeps it) read as the digits written; anything else is refused. */
const integerText = (max: number) =>
  JsonDecimalSchema.transform((value, ctx) => {
    const text = integerTextOf(value);
    if (text === undefined || text.length > max) {
      ctx.addIssue({ code: 'custom', message: `a number here must be a non-negative integer of at most ${max} digits` });
      return z.NEVER;
    }
    return text;
  });
const idLike = z.union([z.string().trim().min(1).max(128), integerText(128)]);
const text = (max: number) => z.string().trim().max(max).optional();

/**
 * The notification body. The seed's example and its field table disagree, so both field sets are accepted:
 * `subscriber` (example) or `sender_phone` (table); `reference` (example) beside `transaction_reference` (table).
 * Unknown extra fields are tolerated and kept in the raw body for audit. Parse the body with `parseJsonExact`:
 * JSON numbers must reach this schema as `JsonDecimal`s (a plain JS number is refused, having already been rounded).
 */
export const BboxxNotificationBodySchema = z.object({
  transactionId: idLike,
  // A JSON number arrives as its exact text (parseJsonExact), never as a float; toMinorUnits reads that text.
  amount: z.union([JsonDecimalSchema, z.string().max(40)]),
  currency: z.string().trim().min(3).max(3),
  subscriber: text(32),
  sender_phone: text(32),
  countryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'countryCode must be ISO 3166-1 alpha-2')
    .optional(),
  operator: text(128),
  reference: text(256),
  transaction_reference: text(256),
  internal_transaction_id: text(256),
  business_number: text(64),
  account_number: z.union([z.string().trim().max(128), integerText(128)]).optional(),
  transaction_type: text(64),
  first_name: text(256),
  last_name: text(256),
});
export type BboxxNotificationBody = z.infer<typeof BboxxNotificationBodySchema>;

export const BboxxAcceptedResponseSchema = z.object({
  providerTransactionId: z.string(),
  status: z.literal('ACCEPTED'),
  Description: z.string(),
});
export type BboxxAcceptedResponse = z.infer<typeof BboxxAcceptedResponseSchema>;

export const ErrorResponseSchema = z.object({
  status: z.literal('REJECTED'),
  Description: z.string(),
  errors: z.array(z.object({ field: z.string().optional(), message: z.string() })),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
