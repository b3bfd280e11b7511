import { ApiDocs, ApiZodBody, ApiZodResponse } from '@mm/platform';
import { applyDecorators } from '@nestjs/common';
import { z } from 'zod';
import { PayRequestSchema } from './pay-request.schema';

/** The answers of `POST /3.0/pay`, in the seed's JSON:API shape (written by transaction-response.ts). */
const TransactionResponseSchema = z.object({
  data: z.object({
    id: z.string(),
    type: z.literal('transactions'),
    attributes: z.object({
      receiptId: z.string(),
      referenceId: z.string(),
      accountNumber: z.string(),
      accountType: z.string(),
      issuer: z.string(),
      status: z.enum(['approved', 'declined', 'pending']),
      description: z.string(),
      memo: z.literal('debit'),
      currency: z.literal('USD'),
      issuerTransactionId: z.string(),
      charges: z.number(),
      amount: z.number(),
      amountInWords: z.string(),
      total: z.number(),
      totalInWords: z.string(),
      timestamps: z.object({ created: z.string() }),
    }),
  }),
});

const JsonApiErrorsSchema = z.object({
  errors: z.array(
    z.object({
      status: z.string(),
      code: z.string(),
      title: z.string(),
      detail: z.string(),
      source: z.object({ pointer: z.string() }).optional(),
    }),
  ),
});

/** OpenAPI of the pay route; which answer comes is chosen by the magic account numbers (see the README). */
export const PayDocs = () =>
  applyDecorators(
    ApiDocs('bixi', 'bearer'),
    ApiZodBody(PayRequestSchema),
    ApiZodResponse(
      200,
      'the transaction: approved, declined or pending (or a cut-off body, for the `malformed` account)',
      TransactionResponseSchema,
    ),
    ApiZodResponse(401, 'the Bearer token is missing or wrong', JsonApiErrorsSchema),
    ApiZodResponse(402, 'insufficient funds', JsonApiErrorsSchema),
    ApiZodResponse(422, 'the request is invalid (one error per member, with its JSON pointer)', JsonApiErrorsSchema),
    ApiZodResponse(500, 'server error (magic account)', JsonApiErrorsSchema),
  );
