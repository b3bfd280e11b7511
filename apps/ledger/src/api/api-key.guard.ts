import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** `X-API-Key` (or `Authorization: Bearer …`) checked against the configured key; only its hash is kept in memory. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyHash: Buffer;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.keyHash = sha256(config.LEDGER_API_KEY);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['x-api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const presented = (Array.isArray(header) ? header[0] : header) ?? bearer;
    if (!presented || !timingSafeEqual(sha256(presented.trim()), this.keyHash)) {
      throw new UnauthorizedException('a valid API key is required');
    }
    return true;
  }
}
