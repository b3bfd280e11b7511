import { databaseReadiness, HealthController, initialiseDataSource, KAFKA, kafkaProvider, kafkaReadiness, topicNamespaceProvider, loggerModule, MetricsModule, OutboxModule, READINESS_CHECKS } from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { BixiClient } from './bixi/bixi-client';
import { DEBIT_CONFIG, type DebitConfig } from './config';
import { DebitConsumerService } from './consumer/debit-consumer.service';
import { DEBIT_OUTBOX_CHANNEL, debitDataSourceOptions } from './data-source';
import { DebitMetrics } from './debit.metrics';
import { AcceptDebitService } from './debits/accept-debit.service';
import { DEBIT_REPOSITORY } from './debits/debit.repository';
import { PgDebitRepository } from './debits/debit.pg-repository';
import { ProcessDebitService } from './debits/process-debit.service';
import { StuckSubmissionsService } from './debits/stuck-submissions.service';
import { DebitApiKeyGuard } from './http/api-key.guard';
import { DebitsHttpController } from './http/debits.http.controller';

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
        OutboxModule.forFeature({ channel: DEBIT_OUTBOX_CHANNEL, metricPrefix: 'debit', clientId: 'payment-debit', config }),
      ],
      controllers: [DebitsHttpController, HealthController],
      providers: [
        { provide: DEBIT_CONFIG, useValue: config },
        { provide: DEBIT_REPOSITORY, useClass: PgDebitRepository },
        {
          provide: BixiClient,
          useFactory: () =>
            new BixiClient({ baseUrl: config.BIXI_BASE_URL, token: config.BIXI_API_TOKEN, timeoutMs: config.BIXI_TIMEOUT_MS, connectTimeoutMs: config.BIXI_CONNECT_TIMEOUT_MS, maxSockets: config.DEBIT_MAX_IN_FLIGHT }),
        },
        kafkaProvider(DEBIT_CONFIG, 'payment-debit'),
        topicNamespaceProvider(DEBIT_CONFIG),
        DebitMetrics,
        DebitApiKeyGuard,
        AcceptDebitService,
        ProcessDebitService,
        StuckSubmissionsService,
        DebitConsumerService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, KAFKA, DebitConsumerService],
          useFactory: (dataSource: DataSource, kafka: Kafka, consumer: DebitConsumerService) => [databaseReadiness(dataSource), kafkaReadiness(kafka), consumer.readiness()],
        },
      ],
    };
  }
}
