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
  OutboxModule,
  READINESS_CHECKS,
} from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from './config';
import { CredentialStore } from './credentials/credential-store';
import { ingestDataSourceOptions } from './data-source';
import { IngestMetrics } from './ingest.metrics';
import { NOTIFICATION_REPOSITORY } from './receive-notification/notification.repository';
import { PgNotificationRepository } from './receive-notification/postgres/notification.pg-repository';
import { ReceiveNotificationHttpController } from './receive-notification/http/receive-notification.http.controller';
import { ReceiveNotificationService } from './receive-notification/receive-notification.service';
import { RejectionFilter } from './receive-notification/http/rejection.filter';
import { TokenBucketRateLimiter } from './rate-limit/token-bucket.rate-limiter';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule({ service: 'notification-ingest', level: config.LOG_LEVEL }),
        MetricsModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => ingestDataSourceOptions(config, true),
          dataSourceFactory: (options) => initialiseDataSource(options!),
        }),
        OutboxModule.forFeature({ channel: 'mm_ingest_outbox', metricPrefix: 'ingest', clientId: 'notification-ingest', config }),
      ],
      controllers: [ReceiveNotificationHttpController, HealthController],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        {
          provide: CredentialStore,
          useFactory: () =>
            CredentialStore.load({
              file: config.INGEST_CREDENTIALS_FILE,
              json: config.INGEST_CREDENTIALS,
              production: config.NODE_ENV === 'production',
            }),
        },
        { provide: NOTIFICATION_REPOSITORY, useClass: PgNotificationRepository },
        { provide: APP_FILTER, useClass: RejectionFilter },
        kafkaProvider(INGEST_CONFIG, 'notification-ingest'),
        topicNamespaceProvider(INGEST_CONFIG),
        {
          provide: TokenBucketRateLimiter,
          useFactory: () => new TokenBucketRateLimiter(config.INGEST_RATE_LIMIT_PER_SECOND, config.INGEST_RATE_LIMIT_BURST),
        },
        IngestMetrics,
        ReceiveNotificationService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource, KAFKA],
          // Ready means "can store": the outbox keeps accepting while Kafka is down, so Kafka only degrades readiness.
          useFactory: (dataSource: DataSource, kafka: Kafka) => [
            databaseReadiness(dataSource),
            { ...kafkaReadiness(kafka), optional: true },
          ],
        },
      ],
    };
  }
}
