import { AmountParseError, toMinorUnits } from '@mm/contracts';
import { z } from 'zod';

/** The account as Bixi stores it: the seed asks for it "without the leading 00 or +", and echoes it so. */
export const stripInternationalPrefix = (account: string): string => account.trim().replace(/^(\+|00)/, '');

/** `amount` is a JSON number in USD, > 0, at most two decimals; it is turned into cents without floats. */
const AmountSchema = z.number({ error: 'amount must be a number' }).transform((value, ctx) => {
  try {
    return BigInt(toMinorUnits(value, 'USD').amountMinor);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof AmountParseError ? error.message : 'invalid amount' });
    return z.NEVER;
  }
});

/** The request table of the seed ("Receiving a Payment"), wrapped in its JSON:API envelope. */
export const PayRequestSchema = z.object({
  data: z.object({
    type: z.literal('transactions'),
    attributes: z.object({
      memo: z.literal('debit'),
      accountNumber: z
        .string()
        .transform(stripInternationalPrefix)
        .pipe(z.string().regex(/^[A-Za-z0-9]{4,64}$/, 'accountNumber must be a fully qualified account, digits or letters only')),
      accountType: z.enum(['mmt', 'bank', 'card', 'wallet', 'trc20']),
      receiptId: z.string().min(1).max(11),
      amount: AmountSchema,
      description: z.string().trim().min(1).max(255),
    }),
  }),
});

export type PayRequest = z.infer<typeof PayRequestSchema>['data']['attributes'];

export interface JsonApiError {
  status: string;
  code: string;
  title: string;
  detail: string;
  source?: { pointer: string };
}

/** Zod issues as JSON:API error objects, pointing at the offending member. */
export function validationErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): JsonApiError[] {
  return issues.slice(0, 20).map((i) => ({
    status: '422',
    code: 'validation_error',
    title: 'Invalid attribute',
    detail: i.message,
    source: { pointer: `/${i.path.map(String).join('/')}` },
  }));
}
