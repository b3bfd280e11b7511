import {
  databaseReadiness,
  HealthController,
  initialiseDataSource,
  KAFKA,
  kafkaProvider,
  topicNamespaceProvider,
  kafkaReadiness,
  loggerModule,
  MetricsModule,
  READINESS_CHECKS,
} from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AccountsController } from './api/accounts.controller';
import { DebitsController } from './api/debits.controller';
import { EventsController } from './api/events.controller';
import { PaymentsController } from './api/payments.controller';
import { ReconciliationController } from './api/reconciliation.controller';
import { LEDGER_CONFIG, type LedgerConfig } from './config';
import { ledgerDataSourceOptions } from './data-source';
import { EVENT_STORE } from './events/event-store';
import { PgEventStore } from './events/event-store.pg';
import { LedgerConsumerService } from './events/ledger-consumer.service';
import { LedgerMetrics } from './ledger.metrics';
import { AccountsRead } from './read/accounts.read';
import { DebitsRead } from './read/debits.read';
import { EventsRead } from './read/events.read';
import { PaymentsRead } from './read/payments.read';
import { ReconciliationRead } from './read/reconciliation.read';

@Module({})
export class AppModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule({ service: 'ledger', level: config.LOG_LEVEL }),
        MetricsModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => ledgerDataSourceOptions(config, true),
          dataSourceFactory: (options) => initialiseDataSource(options!),
        }),
      ],
      controllers: [PaymentsController, DebitsController, AccountsController, EventsController, ReconciliationController, HealthController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: EVENT_STORE, useClass: PgEventStore },
        kafkaProvider(LEDGER_CONFIG, 'ledger'),
        topicNamespaceProvider(LEDGER_CONFIG),
        LedgerMetrics,
        PaymentsRead,
        DebitsRead,
        AccountsRead,
        EventsRead,
        ReconciliationRead,
        LedgerConsumerService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, KAFKA],
          useFactory: (dataSource: DataSource, kafka: Kafka) => [databaseReadiness(dataSource), kafkaReadiness(kafka)],
        },
      ],
    };
  }
}
