import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { OperatorAuthConfig } from './operator-auth.config';
import { OPERATOR_VERIFIER, OperatorGuard } from './operator.guard';
import { OperatorVerifier } from './operator-verifier';

/** Operators' JWT verification for a service: import once (global), then mark routes with `@Operators(...)`. */
@Global()
@Module({})
export class OperatorAuthModule {
  static register(config: OperatorAuthConfig): DynamicModule {
    return {
      module: OperatorAuthModule,
      providers: [{ provide: OPERATOR_VERIFIER, useValue: new OperatorVerifier(config) }, OperatorGuard],
      exports: [OPERATOR_VERIFIER, OperatorGuard],
    };
  }
}
