import { z } from 'zod';

/**
 * Our own HTTP APIs (payment-debit, the ledger) share one error body and one page style. The BBOXX notification
 * route and the Bixi sandbox answer as their external API documents dictate instead.
 */

/** Every error of our APIs: `{statusCode, error, message, details?}`; `details` names each invalid field. */
export const ApiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string().describe('the status as an upper-case name: BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, CONFLICT, …'),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type ApiErrorDetail = NonNullable<ApiError['details']>[number];

/** A list page: `limit` items at most and the opaque cursor of the next page (null on the last); pass it back as `cursor`. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
