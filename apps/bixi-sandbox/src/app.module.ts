import { HealthController, loggerModule, MetricsModule, READINESS_CHECKS } from '@mm/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { SANDBOX_CONFIG, type SandboxConfig } from './config';
import { HeldRequests } from './pay/held-requests';
import { PayController } from './pay/pay.controller';
import { RequestRecorder } from './recorder/request-recorder';
import { SandboxController } from './recorder/sandbox.controller';
import { SandboxMetrics } from './sandbox.metrics';
import { StatementsController } from './statements/statements.controller';
import { TransactionLog } from './statements/transaction-log';

@Module({})
export class AppModule {
  static register(config: SandboxConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule({ service: 'bixi-sandbox', level: config.LOG_LEVEL }), MetricsModule],
      controllers: [PayController, SandboxController, StatementsController, HealthController],
      providers: [
        { provide: SANDBOX_CONFIG, useValue: config },
        // The sandbox has no dependencies: ready as soon as it listens.
        { provide: READINESS_CHECKS, useValue: [] },
        { provide: RequestRecorder, useFactory: () => new RequestRecorder(config.SANDBOX_RECORD_LIMIT) },
        { provide: TransactionLog, useFactory: () => new TransactionLog(config.SANDBOX_STATEMENT_LIMIT) },
        HeldRequests,
        SandboxMetrics,
      ],
    };
  }
}
