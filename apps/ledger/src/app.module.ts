import {
  ApiErrorFilter,
  CONSUMER_TRANSPORT,
  databaseReadiness,
  DeadLettersModule,
  HealthController,
  initialiseDataSource,
  KAFKA,
  KafkaConsumerServer,
  kafkaProvider,
  topicNamespaceProvider,
  kafkaReadiness,
  loggerModule,
  MetricsModule,
  OperatorAuthModule,
  OutboxModule,
  READINESS_CHECKS,
  TOPICS,
  topicProvisioning,
} from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { TopicNamespace } from '@mm/contracts';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AccountsController } from './read-ledger/http/accounts.controller';
import { DebitsController } from './read-ledger/http/debits.controller';
import { EventsController } from './read-ledger/http/events.controller';
import { FlowController } from './read-ledger/http/flow.controller';
import { PaymentsController } from './read-ledger/http/payments.controller';
import { ReconciliationController } from './read-ledger/http/reconciliation.controller';
import { LEDGER_CONFIG, type LedgerConfig } from './config';
import { LEDGER_OUTBOX_CHANNEL, ledgerDataSourceOptions } from './data-source';
import { EVENT_STORE } from './record-events/event-store';
import { PgEventStore } from './record-events/postgres/event-store.pg';
import { RecordEventsMessageController } from './record-events/kafka/record-events.message-controller';
import { RecordEventsUseCase } from './record-events/record-events.use-case';
import { LedgerMetrics } from './ledger.metrics';
import { suspenseMetrics } from './read-ledger/suspense.metrics';
import { BookCorrectionsUseCase } from './correct-entry/book-corrections.use-case';
import { CorrectEntryUseCase } from './correct-entry/correct-entry.use-case';
import { CORRECTION_JOURNAL } from './correct-entry/correction-journal';
import { CORRECTION_REPOSITORY } from './correct-entry/corrections';
import { CorrectionsController } from './correct-entry/http/corrections.controller';
import { OperatorActionsController } from './correct-entry/http/operator-actions.controller';
import { PgCorrectionJournal } from './correct-entry/postgres/correction-journal.pg';
import { PgCorrectionRepository } from './correct-entry/postgres/corrections.pg';
import { AccountsRead } from './read-ledger/accounts.read';
import { DebitsRead } from './read-ledger/debits.read';
import { EventsRead } from './read-ledger/events.read';
import { FlowRead } from './read-ledger/flow.read';
import { PaymentsRead } from './read-ledger/payments.read';
import { ReconciliationRead } from './read-ledger/reconciliation.read';
import { SuspenseRead } from './read-ledger/suspense.read';
import { SuspenseController } from './read-ledger/http/suspense.controller';
import { BreaksRead } from './reconcile-provider-statement/breaks.read';
import { BreaksUseCase } from './reconcile-provider-statement/breaks.use-case';
import { BreaksController } from './reconcile-provider-statement/http/breaks.controller';
import { ProviderStatementsController } from './reconcile-provider-statement/http/provider-statements.controller';
import { ImportProviderStatementUseCase } from './reconcile-provider-statement/import-statement.use-case';
import { PgStatementStore } from './reconcile-provider-statement/postgres/statement-store.pg';
import { STATEMENT_STORE } from './reconcile-provider-statement/statement-store';

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
        OperatorAuthModule.register(config),
        OutboxModule.forFeature({ channel: LEDGER_OUTBOX_CHANNEL, metricPrefix: 'ledger', clientId: 'ledger', config }),
        DeadLettersModule.forFeature({
          service: 'ledger',
          dlqTopics: [config.LEDGER_DLQ_TOPIC],
          replayTopics: config.LEDGER_TOPICS,
          config,
        }),
      ],
      controllers: [
        PaymentsController,
        DebitsController,
        AccountsController,
        EventsController,
        ReconciliationController,
        CorrectionsController,
        OperatorActionsController,
        SuspenseController,
        ProviderStatementsController,
        BreaksController,
        FlowController,
        HealthController,
        RecordEventsMessageController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: EVENT_STORE, useClass: PgEventStore },
        kafkaProvider(LEDGER_CONFIG, 'ledger'),
        topicNamespaceProvider(LEDGER_CONFIG),
        LedgerMetrics,
        suspenseMetrics,
        PaymentsRead,
        DebitsRead,
        AccountsRead,
        EventsRead,
        ReconciliationRead,
        SuspenseRead,
        BreaksRead,
        BreaksUseCase,
        ImportProviderStatementUseCase,
        { provide: STATEMENT_STORE, useClass: PgStatementStore },
        FlowRead,
        RecordEventsUseCase,
        BookCorrectionsUseCase,
        CorrectEntryUseCase,
        { provide: CORRECTION_REPOSITORY, useClass: PgCorrectionRepository },
        { provide: CORRECTION_JOURNAL, useClass: PgCorrectionJournal },
        {
          provide: CONSUMER_TRANSPORT,
          inject: [KAFKA, TOPICS, Registry],
          useFactory: (kafka: Kafka, topics: TopicNamespace, registry: Registry) => ledgerTransport(config, kafka, topics, registry),
        },
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, KAFKA],
          useFactory: (dataSource: DataSource, kafka: Kafka) => [databaseReadiness(dataSource), kafkaReadiness(kafka)],
        },
      ],
    };
  }
}

/** The ledger's consumer: every mm topic (its own corrections included) in batches (one transaction each), its DLQ, its metric names. */
function ledgerTransport(config: LedgerConfig, kafka: Kafka, namespace: TopicNamespace, registry: Registry): KafkaConsumerServer {
  return new KafkaConsumerServer({
    kafka,
    namespace,
    groupId: config.LEDGER_CONSUMER_GROUP,
    topics: config.LEDGER_TOPICS,
    dlqTopic: config.LEDGER_DLQ_TOPIC,
    fromBeginning: config.LEDGER_CONSUMER_FROM_BEGINNING,
    consumer: {
      maxBytesPerPartition: config.LEDGER_MAX_BYTES_PER_PARTITION,
      // One fetch holds at most two partitions' batches (it was four): during catch-up that kept peak RSS at 187-188 MiB
      // on Node 24 instead of 199-206, at the same catch-up rate (README, Performance).
      maxBytes: config.LEDGER_MAX_BYTES_PER_PARTITION * 2,
      retry: { retries: 10 },
    },
    partitionsConsumedConcurrently: config.LEDGER_PARTITIONS_CONCURRENCY,
    maxInFlight: config.LEDGER_PARTITIONS_CONCURRENCY,
    // The ledger isolates rows the database refuses itself (row by row, at once); this bounds any other refusal.
    poisonMaxAttempts: 3,
    provisioning: topicProvisioning(config),
    registry,
    metricNames: {
      lag: 'ledger_consumer_lag',
      stuck: 'ledger_consumer_partition_stuck',
      inFlight: 'ledger_consumer_in_flight',
      deadLettered: 'ledger_events_dead_lettered_total',
    },
  });
}
