import { Module, type DynamicModule } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { kafkaProvider, topicNamespaceProvider } from '../kafka';
import { OutboxHousekeepingService } from './outbox-housekeeping.service';
import { OutboxNotifier } from './outbox-notifier';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxMetrics } from './outbox.metrics';
import { OUTBOX_CONFIG, OUTBOX_OPTIONS, type OutboxFeatureOptions } from './outbox.options';

/**
 * A service's transactional outbox: its repositories add rows in their own transactions (`enqueueOutbox`, or
 * `OUTBOX_INSERT` inside a statement) and call the exported OutboxNotifier after the commit; this module relays the
 * rows to Kafka, purges published ones past retention and exposes `<metricPrefix>_outbox_…` metrics. The table comes
 * from the service's migrations (`createOutboxTable`).
 *
 * Needs the app's TypeORM DataSource and the global MetricsModule. The relay builds its own Kafka client and topic
 * namespace from `config`, the same way the app's are built, so the module needs nothing else from the app.
 * Imported by the app module, it is deeper in Nest's module graph: its relay starts before the app's consumers and
 * stops after them (Nest shuts modules down from the root), so the final drain carries the last results they wrote.
 */
@Module({})
export class OutboxModule {
  static forFeature(options: OutboxFeatureOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        { provide: OUTBOX_CONFIG, useValue: options.config },
        kafkaProvider(OUTBOX_CONFIG, options.clientId),
        topicNamespaceProvider(OUTBOX_CONFIG),
        {
          provide: OutboxMetrics,
          inject: [Registry, DataSource],
          useFactory: (registry: Registry, dataSource: DataSource) => new OutboxMetrics(registry, dataSource, options.metricPrefix),
        },
        {
          provide: OutboxNotifier,
          // The relay runs in this process: commits wake it in memory, with no NOTIFY round trip.
          inject: [DataSource, OutboxRelayService],
          useFactory: (dataSource: DataSource, relay: OutboxRelayService) =>
            new OutboxNotifier(dataSource, options.channel, 5, () => relay.wake()),
        },
        OutboxRelayService,
        OutboxHousekeepingService,
      ],
      exports: [OutboxNotifier, OutboxRelayService, OutboxHousekeepingService, OutboxMetrics],
    };
  }
}
