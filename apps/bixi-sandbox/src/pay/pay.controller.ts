import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SANDBOX_CONFIG, type SandboxConfig } from '../config';
import { RequestRecorder } from '../recorder/request-recorder';
import { SandboxMetrics } from '../sandbox.metrics';
import { HeldRequests } from './held-requests';
import { behaviourOf, type Behaviour } from './magic-accounts';
import { PayDocs } from './pay.docs';
import { PayRequestSchema, stripInternationalPrefix, validationErrors, type PayRequest } from './pay-request.schema';
import { errorResponse, transactionResponse } from './transaction-response';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

interface Answer {
  status: number;
  body: string;
}

/** `POST /3.0/pay` with memo=debit, as the seed "Receiving a Payment" describes it. */
@Controller('3.0')
export class PayController {
  private readonly tokenHash: Buffer;

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly recorder: RequestRecorder,
    private readonly held: HeldRequests,
    private readonly metrics: SandboxMetrics,
  ) {
    this.tokenHash = sha256(config.BIXI_API_TOKEN);
  }

  @Post('pay')
  @PayDocs()
  async pay(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const authorized = this.isAuthorized(req.headers.authorization);
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

    if (behaviour === 'drop' || behaviour === 'timeout') {
      // Bixi received the request and debited the customer, but the answer never arrives. The recorder keeps the
      // answer it would have sent: what Bixi's own records show when an operator asks (maker-checker resolution).
      recorded.unsentAnswer = transactionResponse(parsed!.data!.data.attributes, 'approved');
      reply.hijack();
      if (behaviour === 'drop') req.raw.socket.destroy();
      else this.held.hold(req.raw.socket);
      return;
    }
    const answer = this.answer(behaviour, parsed?.success ? parsed.data.data.attributes : undefined, parsed?.error?.issues);
    recorded.status = answer.status;
    await sleep(this.config.SANDBOX_LATENCY_MS + (behaviour === 'slow' ? this.config.SANDBOX_SLOW_MS : 0));
    await reply.status(answer.status).header('content-type', 'application/json').send(answer.body);
  }

  private answer(
    behaviour: Behaviour | 'unauthorized' | 'invalid',
    request: PayRequest | undefined,
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
        return { status: 200, body: transactionResponse(request!, 'approved').slice(0, 57) };
      case 'decline':
        return { status: 200, body: transactionResponse(request!, 'declined') };
      case 'pending':
        return { status: 200, body: transactionResponse(request!, 'pending') };
      default:
        return { status: 200, body: transactionResponse(request!, 'approved') };
    }
  }

  private isAuthorized(authorization: string | undefined): boolean {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    return token !== undefined && timingSafeEqual(sha256(token), this.tokenHash);
  }
}

function attributesOf(body: unknown): Record<string, unknown> {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const attributes = typeof data === 'object' && data !== null ? (data as { attributes?: unknown }).attributes : undefined;
  return typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>) : {};
}
