import { z } from 'zod';
import { normalisePhone } from '../phone';
import { safeText } from '../text';

/**
 * The search keys of the ledger's lists (`GET /v1/payments`, `GET /v1/debits`) and of the console's search, checked
 * once here: ids of the routes' alphabet, free-text keys without control characters and of bounded length, times
 * ISO-8601 with an offset. The pages' `limit` and `cursor` are added by the service that lists.
 */
export const SearchIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or ._:-');

/**
 * A subscriber number as ingest stores it: normalised to E.164 by the same helper, so `+250 786 474 859`,
 * `00250786474859` and `250786474859` all find `+250786474859`. Without a country, a national form (`0786…`) is refused.
 */
export const SearchMsisdnSchema = z
  .string()
  .max(32)
  .transform((raw, ctx) => {
    const phone = normalisePhone(raw);
    if (phone.ok) return phone.e164;
    ctx.addIssue({ code: 'custom', message: `${phone.reason} (give it with its country code, e.g. +250…)` });
    return z.NEVER;
  });

const time = z.iso.datetime({ offset: true });

/** `from` (inclusive) and `to` (exclusive) on the event's time. */
export const timeRangeFields = { from: time.optional(), to: time.optional() };

/** The payment keys: who sent it, who received it, the subscriber, the provider's transaction, the account paid. */
export const paymentSearchFields = {
  providerId: SearchIdSchema.optional(),
  customerId: SearchIdSchema.optional(),
  msisdn: SearchMsisdnSchema.optional(),
  transactionId: safeText(1, 128).optional(),
  accountNumber: safeText(1, 128).optional(),
};

/** The debit keys: the command, the payer account. */
export const debitSearchFields = {
  commandId: z.uuid().optional(),
  accountNumber: safeText(1, 64).optional(),
};
