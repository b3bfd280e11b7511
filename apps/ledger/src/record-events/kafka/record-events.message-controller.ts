import { Topics } from '@mm/contracts';
import { ConsumerController, type BatchOutcome, type ReceivedBatch } from '@mm/platform';
import { EventPattern } from '@nestjs/microservices';
import { RecordEventsUseCase } from '../record-events.use-case';

/** The ledger's Kafka adapter: every mm topic, one fetched batch per call (one transaction per batch). */
@ConsumerController()
export class RecordEventsMessageController {
  constructor(private readonly recordEvents: RecordEventsUseCase) {}

  @EventPattern([Topics.PaymentReceived, Topics.DebitRequested, Topics.DebitResult], { batch: true })
  record(batch: ReceivedBatch): Promise<BatchOutcome> {
    return this.recordEvents.record(batch);
  }
}
