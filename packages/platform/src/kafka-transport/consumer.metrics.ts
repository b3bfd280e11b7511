import { Counter, Gauge, type Registry } from 'prom-client';

/** Metric names; each service keeps the names its dashboards already use. */
export interface ConsumerMetricNames {
  lag: string;
  stuck: string;
  inFlight: string;
  deadLettered: string;
}

export const consumerMetricNames = (prefix: string): ConsumerMetricNames => ({
  lag: `${prefix}_consumer_lag`,
  stuck: `${prefix}_consumer_partition_stuck`,
  inFlight: `${prefix}_consumer_in_flight`,
  deadLettered: `${prefix}_consumer_dead_lettered_total`,
});

/**
 * What the transport reports. The lag is set on every delivery of a batch, also one that fails, so it keeps growing
 * while a partition is stuck; `stuck` is 1 from a failed batch until the partition commits again.
 */
export class ConsumerMetrics {
  readonly lag: Gauge<'topic' | 'partition'>;
  readonly stuck: Gauge<'topic' | 'partition'>;
  readonly inFlight: Gauge;
  readonly deadLettered: Counter<'topic'>;

  constructor(registry: Registry, names: ConsumerMetricNames) {
    const registers = [registry];
    this.lag = new Gauge({
      name: names.lag,
      help: 'Messages behind the high watermark (from the first unfinished offset)',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.stuck = new Gauge({
      name: names.stuck,
      help: '1 while a partition is redelivered after a transient failure',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.inFlight = new Gauge({ name: names.inFlight, help: 'Messages being handled now', registers });
    this.deadLettered = new Counter({ name: names.deadLettered, help: 'Messages sent to the DLQ', labelNames: ['topic'], registers });
  }

  /** Lag from the first offset not yet committed; a stuck partition's lag grows as producers go on. */
  recordPosition(topic: string, partition: number, highWatermark: string, nextOffset: string): void {
    this.lag.set({ topic, partition: String(partition) }, Number(BigInt(highWatermark) - BigInt(nextOffset)));
  }

  markStuck(topic: string, partition: number, stuck: boolean): void {
    this.stuck.set({ topic, partition: String(partition) }, stuck ? 1 : 0);
  }
}
