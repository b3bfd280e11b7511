import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export interface ApiKeyGuardOptions {
  /** Also accept `Authorization: Bearer <key>`. */
  bearer?: boolean;
  /** The 401 message. */
  message: string;
}

/**
 * A guard class checking `X-API-Key` against the key in the service's validated config. Only the key's SHA-256
 * is kept in memory, and the presented key is compared in constant time (both digests have the same length).
 */
export function apiKeyGuard<C>(configToken: symbol, keyOf: (config: C) => string, options: ApiKeyGuardOptions): Type<CanActivate> {
  @Injectable()
  class ApiKeyGuard implements CanActivate {
    private readonly expected: Buffer;

    constructor(@Inject(configToken) config: C) {
      this.expected = digest(keyOf(config));
    }

    canActivate(context: ExecutionContext): boolean {
      const req = context.switchToHttp().getRequest<FastifyRequest>();
      const header = req.headers['x-api-key'];
      const bearer = options.bearer ? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] : undefined;
      const presented = (Array.isArray(header) ? header[0] : header) ?? bearer;
      if (!presented || !timingSafeEqual(digest(presented.trim()), this.expected)) throw new UnauthorizedException(options.message);
      return true;
    }
  }
  return ApiKeyGuard;
}
