import { SessionViewSchema, SignInRequestSchema, type SessionView } from '@mm/contracts';
import { ApiErrorResponse, ApiZodBody, ApiZodResponse, parseParams } from '@mm/platform';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_CONFIG, secureCookies, type ConsoleConfig } from '../../config';
import { SignInRefused, SignInService } from '../sign-in.service';
import { CurrentSession, SessionGuard, type ConsoleSession } from './session.guard';
import { clearedCookie, sessionCookie } from './session-cookie';

const view = (s: { username: string; roles: SessionView['roles']; csrfToken: string; expiresAt: Date }): SessionView => ({
  username: s.username,
  roles: s.roles,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
});

/** Sign in (sets the session cookie), who am I, sign out. */
@Controller('api')
export class SessionController {
  private readonly secure: boolean;

  constructor(
    private readonly signIn: SignInService,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {
    this.secure = secureCookies(config);
  }

  @Post('session')
  @HttpCode(200)
  @ApiZodBody(SignInRequestSchema, 'username and password (JSON only: a cross-site form cannot send it)')
  @ApiZodResponse(200, 'signed in: the session cookie is set; the body gives the CSRF token for writes', SessionViewSchema)
  @ApiErrorResponse(401, 'unknown username or wrong password (the same answer for both)')
  @ApiErrorResponse(429, 'too many failed sign-ins for this username or from this address; Retry-After says when to try again')
  async create(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionView> {
    if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) throw new UnsupportedMediaTypeException('send JSON');
    const { username, password } = parseParams(SignInRequestSchema, body, 'body');
    try {
      const session = await this.signIn.signIn(username, password, req.ip);
      void reply.header('set-cookie', sessionCookie(session.sessionId, this.config.CONSOLE_SESSION_TTL_SECONDS, this.secure));
      void reply.header('cache-control', 'no-store');
      return view(session);
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      if (error.code === 'BAD_CREDENTIALS') throw new UnauthorizedException(error.message);
      void reply.header('retry-after', String(error.retryAfterSeconds ?? 60));
      throw new HttpException(error.message, 429);
    }
  }

  @Get('me')
  @UseGuards(SessionGuard)
  @ApiZodResponse(200, 'the signed-in operator, the session expiry and its CSRF token', SessionViewSchema)
  @ApiErrorResponse(401, 'no session, or it has expired')
  me(@CurrentSession() s: ConsoleSession, @Res({ passthrough: true }) reply: FastifyReply): SessionView {
    void reply.header('cache-control', 'no-store');
    return view({ username: s.operator.sub, roles: s.operator.roles, csrfToken: s.csrfToken, expiresAt: s.expiresAt });
  }

  @Delete('session')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  @ApiErrorResponse(401, 'no session, or it has expired')
  @ApiErrorResponse(403, 'X-CSRF-Token is missing or wrong')
  async remove(@CurrentSession() s: ConsoleSession, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.signIn.signOut(s.sessionId, s.operator);
    void reply.header('set-cookie', clearedCookie(this.secure));
  }
}
