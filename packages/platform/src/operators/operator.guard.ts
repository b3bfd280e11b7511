import {
  applyDecorators,
  createParamDecorator,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { OperatorRole } from './operator-auth.config';
import { OperatorTokenError, OperatorVerifier, type Operator } from './operator-verifier';

export const OPERATOR_VERIFIER = Symbol('OPERATOR_VERIFIER');
const ROLES = 'mm:operator-roles';

type OperatorRequest = FastifyRequest & { operator?: Operator };

/**
 * Every operator route: a valid bearer JWT (401 otherwise) holding at least one of the route's roles (403 otherwise).
 * The verified operator is on the request for `@CurrentOperator()`.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(
    @Inject(OPERATOR_VERIFIER) private readonly verifier: OperatorVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<OperatorRequest>();
    const token = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new UnauthorizedException('an operator bearer token is required');
    try {
      req.operator = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof OperatorTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const allowed = this.reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (!allowed.some((role) => req.operator!.roles.includes(role))) {
      throw new ForbiddenException(`this action needs the role ${allowed.join(' or ')}`);
    }
    return true;
  }
}

/** An operator action: only for holders of one of `roles`, documented with the `operator` bearer scheme. */
export const Operators = (...roles: [OperatorRole, ...OperatorRole[]]) =>
  applyDecorators(SetMetadata(ROLES, roles), UseGuards(OperatorGuard), ApiSecurity('operator'));

/** The verified operator of the request (set by OperatorGuard). */
export const CurrentOperator = createParamDecorator((_: unknown, context: ExecutionContext): Operator => {
  const operator = context.switchToHttp().getRequest<OperatorRequest>().operator;
  if (!operator) throw new UnauthorizedException('an operator bearer token is required');
  return operator;
});
