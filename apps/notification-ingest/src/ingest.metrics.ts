import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/** What an operator watches on ingest. */
@Injectable()
export class IngestMetrics {
  readonly accepted: Counter<'currency'>;
  readonly duplicates: Counter;
  readonly conflicts: Counter;
  readonly rejected: Counter<'status'>;
  readonly signatureFailures: Counter<'reason'>;
  readonly outboxPublished: Counter;
  readonly outboxPublishFailures: Counter;
  readonly outboxBacklog: Gauge;
  readonly outboxOldestAgeSeconds: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.accepted = new Counter({ name: 'ingest_notifications_accepted_total', help: 'Notifications stored and answered ACCEPTED', labelNames: ['currency'], registers });
    this.duplicates = new Counter({ name: 'ingest_notifications_duplicate_total', help: 'Repeats answered with the original response', registers });
    this.conflicts = new Counter({ name: 'ingest_notifications_conflict_total', help: 'Notifications refused with 409', registers });
    this.rejected = new Counter({ name: 'ingest_notifications_rejected_total', help: 'Notifications refused, by HTTP status', labelNames: ['status'], registers });
    this.signatureFailures = new Counter({ name: 'ingest_signature_failures_total', help: 'Authentication failures, by reason', labelNames: ['reason'], registers });
    this.outboxPublished = new Counter({ name: 'ingest_outbox_published_total', help: 'Outbox events published to Kafka', registers });
    this.outboxPublishFailures = new Counter({ name: 'ingest_outbox_publish_failures_total', help: 'Failed outbox publish attempts', registers });
    this.outboxBacklog = new Gauge({ name: 'ingest_outbox_backlog', help: 'Outbox events not yet published', registers });
    this.outboxOldestAgeSeconds = new Gauge({ name: 'ingest_outbox_oldest_age_seconds', help: 'Age of the oldest unpublished outbox event', registers });
  }
}
