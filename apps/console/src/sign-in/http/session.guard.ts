import { timingSafeEqual } from 'node:crypto';
import type { Operator } from '@mm/platform';
import {
  createParamDecorator,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CONSOLE_CONFIG, secureCookies, type ConsoleConfig } from '../../config';
import { SignInService } from '../sign-in.service';
import { sessionIdOf } from './session-cookie';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in operator of a request, as the session guard found it. */
export interface ConsoleSession {
  sessionId: string;
  operator: Operator;
  csrfToken: string;
  expiresAt: Date;
}
type WithSession = FastifyRequest & { consoleSession?: ConsoleSession };

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Every console API route but sign-in: 401 without a live session; a write (any method but GET/HEAD/OPTIONS) also needs
 * `X-CSRF-Token` equal to the session's token (403 otherwise). SameSite=Strict already keeps other sites' requests
 * cookie-less; the header is the second lock (a cross-site form cannot set it, a cross-site fetch would need CORS).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly secure: boolean;

  constructor(
    private readonly signIn: SignInService,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.secure = secureCookies(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithSession>();
    const sessionId = sessionIdOf(req, this.secure);
    const session = sessionId ? await this.signIn.session(sessionId) : undefined;
    if (!sessionId || !session) throw new UnauthorizedException('sign in first (no session, or it has expired)');
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      const presented = Array.isArray(header) ? header[0] : header;
      if (!presented || !sameToken(presented, session.csrfToken))
        throw new ForbiddenException('the X-CSRF-Token header is missing or wrong');
    }
    req.consoleSession = {
      sessionId,
      operator: { sub: session.username, roles: session.roles },
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    };
    return true;
  }
}

export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): ConsoleSession => {
  const session = context.switchToHttp().getRequest<WithSession>().consoleSession;
  if (!session) throw new UnauthorizedException('sign in first');
  return session;
});
