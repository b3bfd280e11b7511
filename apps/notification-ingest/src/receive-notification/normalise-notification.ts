import { AmountParseError, BboxxNotificationBodySchema, normalisePhone, toMinorUnits, type PaymentReceived } from '@mm/contracts';
import { IngestError, IngestErrorCode, type FieldError } from './ingest.errors';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface NotificationHeaders {
  messageId: string;
  messageTimestamp?: string;
  smsSupport: boolean;
}

/** The BBOXX headers as the use case receives them: the notification's own, plus the signature to check. */
export interface ParsedHeaders extends NotificationHeaders {
  authorization: string;
}

export interface NotificationRoute {
  providerId: string;
  customerId: string;
}

/** Parses the body (JSON already verified by signature) and maps both seed field sets onto PaymentReceived. */
export function normaliseNotification(
  body: unknown,
  route: NotificationRoute,
  headers: NotificationHeaders,
): Omit<PaymentReceived, 'paymentId' | 'receivedAt'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new IngestError(IngestErrorCode.InvalidRequest, 'body must be a JSON object', [
      { field: 'body', message: 'must be a JSON object' },
    ]);
  }
  const parsed = BboxxNotificationBodySchema.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
    throw new IngestError(IngestErrorCode.InvalidRequest, `invalid body: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
  const b = parsed.data;
  // PostgreSQL text cannot hold NUL, and no payment field needs control characters.
  const errors: FieldError[] = Object.entries(b)
    .filter(([, v]) => typeof v === 'string' && CONTROL_CHARACTERS.test(v))
    .map(([field]) => ({ field, message: 'must not contain control characters' }));
  const currency = b.currency.toUpperCase();
  let amount: PaymentReceived['amount'] | undefined;
  try {
    amount = toMinorUnits(b.amount, currency);
  } catch (error) {
    if (!(error instanceof AmountParseError)) throw error;
    errors.push({ field: error.code === 'unknown_currency' ? 'currency' : 'amount', message: error.message });
  }
  const countryCode = b.countryCode?.toUpperCase();
  const phoneField = b.subscriber ? 'subscriber' : 'sender_phone';
  const phoneRaw = b.subscriber || b.sender_phone;
  let subscriberMsisdn: string | undefined;
  if (phoneRaw) {
    const phone = normalisePhone(phoneRaw, countryCode);
    if (phone.ok) subscriberMsisdn = phone.e164;
    else errors.push({ field: phoneField, message: phone.reason });
  }
  if (errors.length > 0 || !amount) {
    throw new IngestError(IngestErrorCode.InvalidRequest, `invalid body: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
  return {
    providerId: route.providerId,
    customerId: route.customerId,
    messageId: headers.messageId,
    transactionId: b.transactionId,
    amount,
    ...(subscriberMsisdn ? { subscriberMsisdn } : {}),
    ...(countryCode ? { countryCode } : {}),
    ...pick({
      operator: b.operator,
      reference: b.reference,
      transactionReference: b.transaction_reference,
      internalTransactionId: b.internal_transaction_id,
      businessNumber: b.business_number,
      accountNumber: b.account_number,
      transactionType: b.transaction_type,
      firstName: b.first_name,
      lastName: b.last_name,
      messageTimestamp: headers.messageTimestamp,
    }),
    smsSupport: headers.smsSupport,
  };
}

function pick<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') out[k as keyof T] = v;
  return out;
}
