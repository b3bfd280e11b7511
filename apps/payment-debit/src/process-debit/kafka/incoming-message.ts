import {
  AnyEnvelopeSchema,
  DEBIT_REQUESTED,
  DebitRequestedEventSchema,
  hasControlCharacters,
  MAX_DEBIT_MINOR,
  MAX_EVENT_BYTES,
  MoneySchema,
  UUID_PATTERN,
} from '@mm/contracts';
import type { ReceivedMessage } from '@mm/platform';
import { validateDebitRequest, type DebitCommand } from '../../debits/debit-command';
import type { InvalidCommand } from '../../debits/debit.repository';

/**
 * What one Kafka message is: poison (nothing to report against — dead-letter it), an invalid command (it names
 * a commandId, so its sender gets a DebitFailed with the reasons), or a command to execute.
 */
export type Incoming =
  { kind: 'poison'; reason: string } | { kind: 'invalid'; command: InvalidCommand } | { kind: 'command'; command: DebitCommand };

const judged = new WeakMap<ReceivedMessage, Incoming>();

/** `parseIncoming` of a received message, once: the transport asks for its queue and then hands it to the handler. */
export function incomingOf(message: ReceivedMessage): Incoming {
  let incoming = judged.get(message);
  if (!incoming) judged.set(message, (incoming = parseIncoming(message.value)));
  return incoming;
}

export function parseIncoming(value: Buffer | null): Incoming {
  if (value === null || value.length === 0) return { kind: 'poison', reason: 'empty message value' };
  if (value.length > MAX_EVENT_BYTES) return { kind: 'poison', reason: `message of ${value.length} bytes exceeds ${MAX_EVENT_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { kind: 'poison', reason: `invalid JSON: ${(error as Error).message}` };
  }
  const envelope = AnyEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: 'poison', reason: 'not a CloudEvents 1.0 envelope' };
  if (envelope.data.type !== DEBIT_REQUESTED)
    return { kind: 'poison', reason: `unexpected event type ${envelope.data.type} on the command topic` };
  const raw = json as { data?: unknown; correlationid?: unknown };
  const data = typeof raw.data === 'object' && raw.data !== null ? (raw.data as Record<string, unknown>) : undefined;
  const commandId = typeof data?.commandId === 'string' && UUID_PATTERN.test(data.commandId) ? data.commandId.toLowerCase() : undefined;
  if (!data || !commandId) return { kind: 'poison', reason: 'DebitRequested without a valid commandId' };

  const unstorable = unstorableReason(data);
  if (unstorable) return { kind: 'poison', reason: unstorable };
  const correlationId =
    typeof raw.correlationid === 'string' &&
    raw.correlationid.length <= 128 &&
    raw.correlationid &&
    !hasControlCharacters(raw.correlationid)
      ? raw.correlationid
      : commandId;
  const causationId = envelope.data.id;
  const validation = validateDebitRequest(data);
  const envelopeCheck = DebitRequestedEventSchema.safeParse(json);
  const envelopeReasons = envelopeCheck.success
    ? []
    : envelopeCheck.error.issues.filter((i) => i.path[0] !== 'data').map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
  if (validation.ok && envelopeCheck.success) {
    return { kind: 'command', command: { ...validation.command, requestedAt: envelopeCheck.data.time, correlationId, causationId } };
  }

  const amount = MoneySchema.safeParse(data.amount);
  return {
    kind: 'invalid',
    command: {
      commandId,
      accountNumber: field(data.accountNumber),
      accountType: field(data.accountType),
      amount: amount.success ? amount.data : undefined,
      receiptId: field(data.receiptId),
      description: field(data.description),
      correlationId,
      causationId,
      reasons: [...(validation.ok ? [] : validation.reasons), ...envelopeReasons],
    },
  };
}

const field = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 64) : '');

/**
 * Values PostgreSQL would refuse even in the FAILED row an invalid command is recorded as (NUL in text, an amount
 * beyond bigint): such a command cannot be stored or answered, so it is poison — dead-lettered, never retried.
 */
function unstorableReason(data: Record<string, unknown>): string | undefined {
  for (const name of ['accountNumber', 'accountType', 'receiptId', 'description'] as const) {
    const value = data[name];
    if (typeof value === 'string' && hasControlCharacters(value)) return `${name} contains control characters (NUL, newline, …)`;
  }
  const amount = MoneySchema.safeParse(data.amount);
  const magnitude = amount.success ? BigInt(amount.data.amountMinor.replace('-', '')) : 0n;
  if (amount.success && magnitude > MAX_DEBIT_MINOR)
    return `amount ${amount.data.amountMinor} is beyond what a debit can hold (${MAX_DEBIT_MINOR} minor units)`;
  return undefined;
}
