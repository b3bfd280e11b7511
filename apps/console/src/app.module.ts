import {
  ApiErrorFilter,
  databaseReadiness,
  HealthController,
  initialiseDataSource,
  loggerModule,
  MetricsModule,
  READINESS_CHECKS,
} from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CONSOLE_CONFIG, type ConsoleConfig } from './config';
import { consoleDataSourceOptions } from './data-source';
import { AccountsController } from './balances/http/accounts.controller';
import { CorrectionsService } from './correct-entries/corrections.service';
import { CorrectionsController } from './correct-entries/http/corrections.controller';
import { FindService } from './find-payments/find.service';
import { FindController } from './find-payments/http/find.controller';
import { OverviewController } from './overview/http/overview.controller';
import { OverviewService } from './overview/overview.service';
import { ReconcileController } from './reconcile/http/reconcile.controller';
import { ReconcileService } from './reconcile/reconcile.service';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { DeadLettersController } from './dead-letters/http/dead-letters.controller';
import { ResolutionsController } from './resolve-unknown/http/resolutions.controller';
import { ResolutionsService } from './resolve-unknown/resolutions.service';
import { ACCOUNT_STORE } from './sign-in/accounts';
import { SessionController } from './sign-in/http/session.controller';
import { SessionGuard } from './sign-in/http/session.guard';
import { PgAccountStore } from './sign-in/postgres/accounts.pg';
import { SignInService } from './sign-in/sign-in.service';
import { ServicesClient } from './upstream/services.client';

@Module({})
export class AppModule {
  static register(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule({ service: 'console', level: config.LOG_LEVEL }),
        MetricsModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => consoleDataSourceOptions(config, true),
          dataSourceFactory: (options) => initialiseDataSource(options!),
        }),
      ],
      controllers: [
        SessionController,
        OverviewController,
        FindController,
        ReconcileController,
        ResolutionsController,
        DeadLettersController,
        CorrectionsController,
        AccountsController,
        HealthController,
      ],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: ACCOUNT_STORE, useClass: PgAccountStore },
        SignInService,
        SessionGuard,
        ServicesClient,
        OverviewService,
        FindService,
        ReconcileService,
        ResolutionsService,
        DeadLettersService,
        CorrectionsService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => [databaseReadiness(dataSource)],
        },
      ],
    };
  }
}
