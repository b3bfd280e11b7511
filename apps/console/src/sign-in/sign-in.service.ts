import { createHash, randomBytes } from 'node:crypto';
import type { OperatorRole } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../config';
import { ACCOUNT_STORE, type AccountStore, type SessionRecord } from './accounts';
import { decoyHash, verifyPassword } from './password';

/** Why a sign-in was refused: a code the HTTP adapter maps (401 / 429), never a hint which part was wrong. */
export class SignInRefused extends Error {
  constructor(
    readonly code: 'BAD_CREDENTIALS' | 'LOCKED_OUT',
    readonly retryAfterSeconds?: number,
  ) {
    super(code === 'LOCKED_OUT' ? 'too many failed sign-ins; try again later' : 'unknown username or wrong password');
  }
}

export interface SignedIn {
  /** The session id: only the cookie holds it; the database keeps its SHA-256. */
  sessionId: string;
  csrfToken: string;
  username: string;
  roles: OperatorRole[];
  expiresAt: Date;
}

export const hashSessionId = (id: string): Buffer => createHash('sha256').update(id, 'utf8').digest();
const token = () => randomBytes(32).toString('base64url');

/** Sign-in with rate limit and lockout per username and per client address; sessions that expire; sign-out. */
@Injectable()
export class SignInService {
  constructor(
    @Inject(ACCOUNT_STORE) private readonly store: AccountStore,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    const window = this.config.CONSOLE_LOGIN_WINDOW_SECONDS;
    const max = this.config.CONSOLE_LOGIN_MAX_FAILURES;
    const [byUser, byAddress] = await Promise.all([
      this.store.recentFailures('username', username, window),
      this.store.recentFailures('address', address, window),
    ]);
    // Locked out: the password is not even checked, so guessing goes no further until the window has passed.
    if (byUser >= max || byAddress >= max) throw new SignInRefused('LOCKED_OUT', window);
    const account = await this.store.findAccount(username);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
    if (!account || !ok) {
      await this.store.recordFailure(
        [
          { scope: 'username', key: username },
          { scope: 'address', key: address },
        ],
        window,
      );
      throw new SignInRefused('BAD_CREDENTIALS');
    }
    await this.store.clearFailures('username', username);
    const sessionId = token();
    const csrfToken = token();
    const expiresAt = await this.store.createSession(hashSessionId(sessionId), account, csrfToken, this.config.CONSOLE_SESSION_TTL_SECONDS);
    return { sessionId, csrfToken, username: account.username, roles: account.roles, expiresAt };
  }

  session(sessionId: string): Promise<SessionRecord | undefined> {
    return this.store.findSession(hashSessionId(sessionId));
  }

  signOut(sessionId: string, operator: { sub: string; roles: OperatorRole[] }): Promise<boolean> {
    return this.store.endSession(hashSessionId(sessionId), operator);
  }
}
