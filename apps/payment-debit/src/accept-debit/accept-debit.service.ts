import {
  createEnvelope,
  DEBIT_REQUESTED,
  ServiceNames,
  toKafkaMessage,
  Topics,
  UUID_PATTERN,
  type DebitRequestedEvent,
} from '@mm/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { requestFingerprint, validateDebitRequest } from '../debits/debit-command';
import { DEBIT_REPOSITORY, type DebitRepository } from '../debits/debit.repository';

export type AcceptResult =
  | { kind: 'accepted'; commandId: string; replayed: boolean }
  | { kind: 'invalid'; reasons: string[] }
  | { kind: 'conflict'; commandId: string };

/**
 * Accepting a debit: the command is stored as RECEIVED together with its DebitRequested event in the outbox, so
 * an accepted command will reach the consumer even if Kafka is down now. The idempotency key (`commandId`, or the
 * `Idempotency-Key` header) is required, never generated: a client retrying after a timeout sends the same key
 * and is answered as the first time, with one command and one Bixi call. The same key with other content is a conflict.
 */
@Injectable()
export class AcceptDebitService {
  constructor(@Inject(DEBIT_REPOSITORY) private readonly repository: DebitRepository) {}

  async accept(body: unknown, correlationId: string, idempotencyKey?: string): Promise<AcceptResult> {
    const keyed = withIdempotencyKey(body, idempotencyKey);
    if (!keyed.ok) return { kind: 'invalid', reasons: keyed.reasons };
    const validation = validateDebitRequest(keyed.body);
    if (!validation.ok) return { kind: 'invalid', reasons: validation.reasons };
    const data = validation.command;
    const event = createEnvelope({
      type: DEBIT_REQUESTED,
      source: `mm/${ServiceNames.Debit}/http`,
      subject: data.commandId,
      data,
      correlationId,
    }) as DebitRequestedEvent;
    const message = toKafkaMessage(event, data.accountNumber);
    const command = { ...data, requestedAt: event.time, correlationId, causationId: event.id };
    const outgoing = {
      event,
      topic: Topics.DebitRequested,
      key: data.accountNumber,
      value: String(message.value),
      headers: message.headers as Record<string, string>,
    };
    const received = await this.repository.receive(command, requestFingerprint(command), outgoing);
    if (received.kind === 'new') return { kind: 'accepted', commandId: data.commandId, replayed: false };
    if (!received.sameRequest) return { kind: 'conflict', commandId: data.commandId };
    return { kind: 'accepted', commandId: data.commandId, replayed: true };
  }
}

type Keyed = { ok: true; body: unknown } | { ok: false; reasons: string[] };

/** The body with its `commandId` taken from the header when only the header has one; both must agree when both do. */
function withIdempotencyKey(body: unknown, header: string | undefined): Keyed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: true, body };
  const key = header?.trim();
  if (key !== undefined && !UUID_PATTERN.test(key)) return { ok: false, reasons: ['Idempotency-Key: must be a UUID'] };
  const fromBody = (body as { commandId?: unknown }).commandId;
  if (fromBody === undefined) {
    return key === undefined
      ? { ok: false, reasons: ['commandId: required (in the body or as the Idempotency-Key header), a UUID'] }
      : { ok: true, body: { ...body, commandId: key } };
  }
  if (key !== undefined && (typeof fromBody !== 'string' || fromBody.toLowerCase() !== key.toLowerCase())) {
    return { ok: false, reasons: ['commandId: differs from the Idempotency-Key header; send one, or the same UUID in both'] };
  }
  return { ok: true, body };
}
