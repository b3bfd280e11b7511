import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DEBIT_CONFIG, type DebitConfig } from '../config';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The debit API moves money: every call needs `X-API-Key`, compared in constant time against the key's hash. */
@Injectable()
export class DebitApiKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(DEBIT_CONFIG) config: DebitConfig) {
    this.expected = digest(config.DEBIT_API_KEY);
  }

  canActivate(context: ExecutionContext): boolean {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers['x-api-key'];
    const presented = Array.isArray(value) ? value[0] : value;
    if (presented === undefined || !timingSafeEqual(digest(presented), this.expected)) throw new UnauthorizedException('X-API-Key is missing or wrong');
    return true;
  }
}
