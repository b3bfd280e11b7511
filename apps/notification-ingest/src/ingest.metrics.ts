import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What an operator watches on the notification API (the outbox's, `ingest_outbox_…`, come from OutboxModule). */
@Injectable()
export class IngestMetrics {
  readonly requests: Counter<'status'>;
  readonly latency: Histogram;
  readonly accepted: Counter<'currency'>;
  readonly duplicates: Counter;
  readonly conflicts: Counter<'field'>;
  readonly signatureFailures: Counter<'reason'>;
  readonly rateLimited: Counter;
  readonly batchSize: Histogram;
  readonly queueDepth: Gauge;
  readonly unavailable: Counter<'cause'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'ingest_http_requests_total',
      help: 'Notification requests answered, by HTTP status',
      labelNames: ['status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'ingest_http_request_duration_seconds',
      help: 'Time to answer a notification request',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.accepted = new Counter({
      name: 'ingest_notifications_accepted_total',
      help: 'Notifications stored and answered ACCEPTED',
      labelNames: ['currency'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'ingest_notifications_duplicate_total',
      help: 'Repeats answered with the original response',
      registers,
    });
    this.conflicts = new Counter({
      name: 'ingest_notifications_conflict_total',
      help: 'Notifications refused with 409, by the key that clashed',
      labelNames: ['field'],
      registers,
    });
    this.signatureFailures = new Counter({
      name: 'ingest_signature_failures_total',
      help: 'Authentication failures (403), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'ingest_store_batch_size',
      help: 'Notifications written per database statement (micro-batching)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'ingest_store_queue_depth',
      help: 'Notifications waiting for a database statement slot',
      registers,
    });
    this.unavailable = new Counter({
      name: 'ingest_unavailable_total',
      help: 'Notifications refused with 503, by cause',
      labelNames: ['cause'],
      registers,
    });
    this.rateLimited = new Counter({ name: 'ingest_rate_limited_total', help: 'Notifications refused with 429', registers });
  }
}
