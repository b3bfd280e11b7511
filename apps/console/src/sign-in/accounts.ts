import type { OperatorRole } from '@mm/platform';

export interface OperatorAccount {
  username: string;
  roles: OperatorRole[];
  passwordHash: string;
}

export interface SessionRecord {
  username: string;
  roles: OperatorRole[];
  csrfToken: string;
  expiresAt: Date;
}

export type FailureScope = 'username' | 'address';

/** What sign-in needs from storage (the console's own PostgreSQL schema: postgres/accounts.pg.ts). */
export interface AccountStore {
  findAccount(username: string): Promise<OperatorAccount | undefined>;
  /** Failed sign-ins for this key within the last `windowSeconds`. */
  recentFailures(scope: FailureScope, key: string, windowSeconds: number): Promise<number>;
  recordFailure(failures: { scope: FailureScope; key: string }[], windowSeconds: number): Promise<void>;
  clearFailures(scope: FailureScope, key: string): Promise<void>;
  /** Stores the session (by the hash of its id) and audits the sign-in, in one transaction. */
  createSession(idHash: Buffer, account: OperatorAccount, csrfToken: string, ttlSeconds: number): Promise<Date>;
  findSession(idHash: Buffer): Promise<SessionRecord | undefined>;
  /** Deletes the session and audits the sign-out, in one transaction; false when there was none. */
  endSession(idHash: Buffer, operator: { sub: string; roles: OperatorRole[] }): Promise<boolean>;
}

export const ACCOUNT_STORE = Symbol('ACCOUNT_STORE');
