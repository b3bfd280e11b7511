import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyGuard } from './api-key.guard';

interface PaymentRow {
  id: string;
  envelope: { data: Record<string, unknown> };
  kafka_partition: number;
  kafka_offset: string;
  received_at: Date;
}

/** Read side: one payment with its postings. */
@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
export class PaymentsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':paymentId')
  async findOne(@Param('paymentId', new ParseUUIDPipe()) paymentId: string) {
    const [row]: PaymentRow[] = await this.dataSource.query(
      `select id, envelope, kafka_partition, kafka_offset, received_at from events
        where type = 'mm.payment.received.v1' and subject = $1 order by received_at limit 1`,
      [paymentId],
    );
    if (!row) throw new NotFoundException(`payment ${paymentId} is not in the ledger`);
    const postings: { account_id: string; currency: string; amount_minor: string }[] = await this.dataSource.query(
      `select p.account_id, p.currency, p.amount_minor::text from postings p
         join journal_entries j on j.id = p.entry_id where j.event_id = $1 order by p.id`,
      [row.id],
    );
    return {
      paymentId,
      eventId: row.id,
      payment: row.envelope.data,
      source: { partition: row.kafka_partition, offset: row.kafka_offset },
      storedAt: row.received_at.toISOString(),
      postings: postings.map((p) => ({ accountId: p.account_id, currency: p.currency, amountMinor: p.amount_minor })),
    };
  }
}
