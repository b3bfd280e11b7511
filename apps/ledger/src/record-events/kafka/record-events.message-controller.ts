import { Topics } from '@mm/contracts';
import { ConsumerController, type BatchOutcome, type ReceivedBatch } from '@mm/platform';
import { EventPattern } from '@nestjs/microservices';
import { BookCorrectionsUseCase } from '../../correct-entry/book-corrections.use-case';
import { RecordEventsUseCase } from '../record-events.use-case';

/** The ledger's Kafka adapter: every mm topic, one fetched batch per call (one transaction per batch). */
@ConsumerController()
export class RecordEventsMessageController {
  constructor(
    private readonly recordEvents: RecordEventsUseCase,
    private readonly bookCorrections: BookCorrectionsUseCase,
  ) {}

  @EventPattern([Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult], { batch: true })
  record(batch: ReceivedBatch): Promise<BatchOutcome> {
    return this.recordEvents.record(batch);
  }

  /** The ledger's own corrections: booked against their original, one transaction each (correct-entry). */
  @EventPattern([Topics.LedgerCorrection], { batch: true })
  correct(batch: ReceivedBatch): Promise<BatchOutcome> {
    return this.bookCorrections.record(batch);
  }
}
