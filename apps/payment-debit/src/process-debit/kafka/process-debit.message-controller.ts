import { Topics } from '@mm/contracts';
import { ConsumerController, type MessageOutcome, type ReceivedMessage } from '@mm/platform';
import { EventPattern } from '@nestjs/microservices';
import { ProcessDebitService } from '../process-debit.service';
import { incomingOf } from './incoming-message';

/**
 * payment-debit's Kafka adapter: one DebitRequested at a time, on its account's queue (one account's debits reach Bixi
 * in order). Poison and a commandId reused for another debit are dead-lettered; an invalid command that names a
 * commandId is answered with a DebitFailed; database errors go to the transport, which classifies them.
 */
@ConsumerController()
export class ProcessDebitMessageController {
  constructor(private readonly processDebit: ProcessDebitService) {}

  @EventPattern(Topics.DebitRequested, { queueBy: queueOf })
  async process(message: ReceivedMessage): Promise<MessageOutcome> {
    const incoming = incomingOf(message);
    if (incoming.kind === 'poison') return { deadLetter: incoming.reason };
    if (incoming.kind === 'invalid') return void (await this.processDebit.recordInvalid(incoming.command));
    const result = await this.processDebit.handle(incoming.command);
    if (result.kind === 'conflict') return { deadLetter: `commandId ${incoming.command.commandId} was already used for a different debit` };
  }
}

/** The queue a message waits in: its normalised account; an invalid command its commandId; poison its Kafka key. */
export function queueOf(message: ReceivedMessage): string {
  const incoming = incomingOf(message);
  if (incoming.kind === 'command') return `acct:${incoming.command.accountNumber}`;
  if (incoming.kind === 'invalid') return `cmd:${incoming.command.commandId}`;
  return `key:${message.key?.toString('utf8') ?? ''}`;
}
