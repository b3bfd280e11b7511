import { dlqTopic, ServiceNames, Topics, type TopicNamespace } from '@mm/contracts';
import {
  ApiErrorFilter,
  CONSUMER_TRANSPORT,
  databaseReadiness,
  DeadLettersModule,
  HealthController,
  initialiseDataSource,
  KAFKA,
  type KafkaConsumerServer,
  kafkaProvider,
  kafkaReadiness,
  topicNamespaceProvider,
  loggerModule,
  MetricsModule,
  OperatorAuthModule,
  OutboxModule,
  READINESS_CHECKS,
  TOPICS,
} from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { BixiClient } from './bixi/bixi-client';
import { DEBIT_CONFIG, type DebitConfig } from './config';
import { debitTransport } from './process-debit/kafka/debit-transport';
import { ProcessDebitMessageController } from './process-debit/kafka/process-debit.message-controller';
import { DEBIT_OUTBOX_CHANNEL, debitDataSourceOptions } from './data-source';
import { DebitMetrics } from './debit.metrics';
import { AcceptDebitService } from './accept-debit/accept-debit.service';
import { DEBIT_REPOSITORY } from './debits/debit.repository';
import { PgDebitRepository } from './postgres/debit.pg-repository';
import { ProcessDebitService } from './process-debit/process-debit.service';
import { StuckSubmissionsService } from './process-debit/stuck-submissions.service';
import { DebitApiKeyGuard } from './accept-debit/http/api-key.guard';
import { DebitsHttpController } from './accept-debit/http/debits.http.controller';
import { OperatorActionsHttpController } from './read-operator-actions/http/operator-actions.http.controller';
import { ResolutionsHttpController } from './resolve-unknown/http/resolutions.http.controller';
import { PgResolutionRepository } from './resolve-unknown/postgres/resolution.pg-repository';
import { RESOLUTION_REPOSITORY } from './resolve-unknown/resolution.repository';
import { openUnknownMetrics } from './resolve-unknown/open-unknown.metrics';
import { ResolveUnknownService } from './resolve-unknown/resolve-unknown.service';
import { BreaksHttpController } from './reconcile-statement/http/breaks.http.controller';
import { StatementsHttpController } from './reconcile-statement/http/statements.http.controller';
import { ImportStatementService } from './reconcile-statement/import-statement.service';
import { PgStatementRepository } from './reconcile-statement/postgres/statement.pg-repository';
import { STATEMENT_REPOSITORY } from './reconcile-statement/statement.repository';

@Module({})
export class AppModule {
  static register(config: DebitConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule({ service: 'payment-debit', level: config.LOG_LEVEL }),
        MetricsModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => debitDataSourceOptions(config, true),
          dataSourceFactory: (options) => initialiseDataSource(options!),
        }),
        OperatorAuthModule.register(config),
        OutboxModule.forFeature({ channel: DEBIT_OUTBOX_CHANNEL, metricPrefix: 'debit', clientId: 'payment-debit', config }),
        DeadLettersModule.forFeature({
          service: ServiceNames.Debit,
          dlqTopics: [dlqTopic(ServiceNames.Debit)],
          replayTopics: [Topics.DebitRequested],
          config,
        }),
      ],
      controllers: [
        DebitsHttpController,
        ResolutionsHttpController,
        OperatorActionsHttpController,
        StatementsHttpController,
        BreaksHttpController,
        HealthController,
        ProcessDebitMessageController,
      ],
      providers: [
        { provide: DEBIT_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: DEBIT_REPOSITORY, useClass: PgDebitRepository },
        { provide: RESOLUTION_REPOSITORY, useClass: PgResolutionRepository },
        { provide: STATEMENT_REPOSITORY, useClass: PgStatementRepository },
        ImportStatementService,
        {
          provide: BixiClient,
          useFactory: () =>
            new BixiClient({
              baseUrl: config.BIXI_BASE_URL,
              token: config.BIXI_API_TOKEN,
              timeoutMs: config.BIXI_TIMEOUT_MS,
              connectTimeoutMs: config.BIXI_CONNECT_TIMEOUT_MS,
              maxSockets: config.DEBIT_MAX_IN_FLIGHT,
            }),
        },
        kafkaProvider(DEBIT_CONFIG, 'payment-debit'),
        topicNamespaceProvider(DEBIT_CONFIG),
        DebitMetrics,
        openUnknownMetrics,
        DebitApiKeyGuard,
        AcceptDebitService,
        ProcessDebitService,
        ResolveUnknownService,
        StuckSubmissionsService,
        {
          provide: CONSUMER_TRANSPORT,
          inject: [KAFKA, TOPICS, Registry],
          useFactory: (kafka: Kafka, topics: TopicNamespace, registry: Registry) => debitTransport(config, kafka, topics, registry),
        },
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, KAFKA, CONSUMER_TRANSPORT],
          useFactory: (dataSource: DataSource, kafka: Kafka, consumer: KafkaConsumerServer) => [
            databaseReadiness(dataSource),
            kafkaReadiness(kafka),
            consumer.readiness('debit-consumer'),
          ],
        },
      ],
    };
  }
}
