import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SANDBOX_CONFIG, type SandboxConfig } from '../config';
import { RequestRecorder } from '../recorder/request-recorder';
import { SandboxMetrics } from '../sandbox.metrics';
import { BearerToken } from './bearer-token';
import { HeldRequests } from './held-requests';
import { behaviourOf, type Behaviour } from './magic-accounts';
import { PayDocs } from './pay.docs';
import { PayRequestSchema, stripInternationalPrefix, validationErrors } from './pay-request.schema';
import { TransactionLog } from '../statements/transaction-log';
import {
  errorResponse,
  newTransaction,
  transactionResponse,
  type SandboxTransaction,
  type TransactionStatus,
} from './transaction-response';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The status of the transaction each behaviour creates; the others (refusals, errors) create none. */
const CREATED: Partial<Record<Behaviour | 'unauthorized' | 'invalid', TransactionStatus>> = {
  approve: 'approved',
  slow: 'approved',
  malformed: 'approved',
  timeout: 'approved',
  drop: 'approved',
  decline: 'declined',
  pending: 'pending',
};

interface Answer {
  status: number;
  body: string;
}

/** `POST /3.0/pay` with memo=debit, as the seed "Receiving a Payment" describes it. */
@Controller('3.0')
export class PayController {
  private readonly token: BearerToken;

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly recorder: RequestRecorder,
    private readonly held: HeldRequests,
    private readonly metrics: SandboxMetrics,
    private readonly transactions: TransactionLog,
  ) {
    this.token = new BearerToken(config.BIXI_API_TOKEN);
  }

  @Post('pay')
  @PayDocs()
  async pay(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const authorized = this.token.matches(req.headers.authorization);
    const parsed = authorized ? PayRequestSchema.safeParse(req.body) : undefined;
    const attributes = attributesOf(req.body);
    const behaviour: Behaviour | 'unauthorized' | 'invalid' = !authorized
      ? 'unauthorized'
      : parsed?.success
        ? behaviourOf(parsed.data.data.attributes.accountNumber)
        : 'invalid';
    const recorded = this.recorder.record({
      requestId: header(req.headers['x-request-id']),
      accountNumber: typeof attributes.accountNumber === 'string' ? stripInternationalPrefix(attributes.accountNumber) : undefined,
      receiptId: typeof attributes.receiptId === 'string' ? attributes.receiptId : undefined,
      authorized,
      headers: { accept: header(req.headers.accept), contentType: header(req.headers['content-type']) },
      body: req.body,
      behaviour,
    });
    this.metrics.payRequests.inc({ behaviour });
    // Bixi created (and, unless declined or pending, debited) a transaction, whether or not its answer gets through.
    const request = parsed?.success ? parsed.data.data.attributes : undefined;
    const status = request ? CREATED[behaviour] : undefined;
    const transaction = request && status ? this.transactions.add(newTransaction(request, status)) : undefined;

    if (behaviour === 'drop' || behaviour === 'timeout') {
      // Bixi received the request and debited the customer, but the answer never arrives. The recorder keeps the
      // answer it would have sent: what Bixi's own records show when an operator asks (maker-checker resolution).
      if (transaction) recorded.unsentAnswer = transactionResponse(transaction);
      reply.hijack();
      if (behaviour === 'drop') req.raw.socket.destroy();
      else this.held.hold(req.raw.socket);
      return;
    }
    const answer = this.answer(behaviour, transaction, parsed?.error?.issues);
    recorded.status = answer.status;
    await sleep(this.config.SANDBOX_LATENCY_MS + (behaviour === 'slow' ? this.config.SANDBOX_SLOW_MS : 0));
    await reply.status(answer.status).header('content-type', 'application/json').send(answer.body);
  }

  private answer(
    behaviour: Behaviour | 'unauthorized' | 'invalid',
    transaction: SandboxTransaction | undefined,
    issues?: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  ): Answer {
    switch (behaviour) {
      case 'unauthorized':
        return { status: 401, body: errorResponse(401, 'unauthorized', 'Unauthorized', 'a valid Bearer token is required') };
      case 'invalid':
        return { status: 422, body: JSON.stringify({ errors: validationErrors(issues ?? []) }) };
      case 'insufficient_funds':
        return { status: 402, body: errorResponse(402, 'insufficient_funds', 'Insufficient funds', 'the account cannot cover the amount') };
      case 'server_error':
        return { status: 500, body: errorResponse(500, 'internal_error', 'Internal Server Error', 'something went wrong') };
      case 'malformed':
        // A 200 whose body is cut off: the debit may well have happened.
        return { status: 200, body: transactionResponse(transaction!).slice(0, 57) };
      default:
        // approve, slow, decline, pending: the transaction in the status its behaviour gave it.
        return { status: 200, body: transactionResponse(transaction!) };
    }
  }
}

function attributesOf(body: unknown): Record<string, unknown> {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const attributes = typeof data === 'object' && data !== null ? (data as { attributes?: unknown }).attributes : undefined;
  return typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>) : {};
}
