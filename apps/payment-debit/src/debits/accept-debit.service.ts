import { createEnvelope, DEBIT_REQUESTED, ServiceNames, toKafkaMessage, Topics, uuidv7, type DebitRequestedEvent } from '@mm/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { requestFingerprint, validateDebitRequest, type DebitState } from './debit-command';
import { DEBIT_REPOSITORY, type DebitRepository } from './debit.repository';

export type AcceptResult =
  | { kind: 'accepted'; commandId: string; state: DebitState; duplicate: boolean }
  | { kind: 'invalid'; reasons: string[] }
  | { kind: 'conflict'; commandId: string };

/**
 * `POST /v1/debits`: the command is stored as RECEIVED together with its DebitRequested event in the outbox, so
 * a 202 means it will reach the consumer even if Kafka is down now. A repeat with the same commandId and content
 * answers the same; the same commandId with other content is a conflict.
 */
@Injectable()
export class AcceptDebitService {
  constructor(@Inject(DEBIT_REPOSITORY) private readonly repository: DebitRepository) {}

  async accept(body: unknown, correlationId: string): Promise<AcceptResult> {
    const withId = typeof body === 'object' && body !== null && !Array.isArray(body) ? { commandId: uuidv7(), ...body } : body;
    const validation = validateDebitRequest(withId);
    if (!validation.ok) return { kind: 'invalid', reasons: validation.reasons };
    const data = validation.command;
    const event = createEnvelope({ type: DEBIT_REQUESTED, source: `mm/${ServiceNames.Debit}/http`, subject: data.commandId, data, correlationId }) as DebitRequestedEvent;
    const message = toKafkaMessage(event, data.accountNumber);
    const command = { ...data, requestedAt: event.time, correlationId, causationId: event.id };
    const outgoing = { event, topic: Topics.DebitRequested, key: data.accountNumber, value: String(message.value), headers: message.headers as Record<string, string> };
    const received = await this.repository.receive(command, requestFingerprint(command), outgoing);
    if (received.kind === 'new') return { kind: 'accepted', commandId: data.commandId, state: 'RECEIVED', duplicate: false };
    if (!received.sameRequest) return { kind: 'conflict', commandId: data.commandId };
    return { kind: 'accepted', commandId: data.commandId, state: received.state, duplicate: true };
  }
}
