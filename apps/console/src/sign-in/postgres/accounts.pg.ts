import { recordOperatorAction, type OperatorRole } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountStore, FailureScope, OperatorAccount, SessionRecord } from '../accounts';

/** The console's accounts, sessions and failed sign-ins in its own schema (parameterised SQL only). */
@Injectable()
export class PgAccountStore implements AccountStore {
  constructor(private readonly db: DataSource) {}

  async findAccount(username: string): Promise<OperatorAccount | undefined> {
    const rows: { username: string; roles: OperatorRole[]; password_hash: string }[] = await this.db.query(
      `select username, roles, password_hash from operators where username = $1`,
      [username],
    );
    const row = rows[0];
    return row && { username: row.username, roles: row.roles, passwordHash: row.password_hash };
  }

  async recentFailures(scope: FailureScope, key: string, windowSeconds: number): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `select count(*)::int as n from login_failures where scope = $1 and key = $2 and failed_at > now() - make_interval(secs => $3)`,
      [scope, key, windowSeconds],
    );
    return rows[0]?.n ?? 0;
  }

  async recordFailure(failures: { scope: FailureScope; key: string }[], windowSeconds: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const f of failures) await tx.query(`insert into login_failures (scope, key) values ($1, $2)`, [f.scope, f.key]);
      // Failures older than the window no longer count: purge them as new ones arrive.
      await tx.query(`delete from login_failures where failed_at < now() - make_interval(secs => $1)`, [windowSeconds]);
    });
  }

  async clearFailures(scope: FailureScope, key: string): Promise<void> {
    await this.db.query(`delete from login_failures where scope = $1 and key = $2`, [scope, key]);
  }

  async createSession(idHash: Buffer, account: OperatorAccount, csrfToken: string, ttlSeconds: number): Promise<Date> {
    return this.db.transaction(async (tx) => {
      await tx.query(`delete from sessions where expires_at <= now()`);
      const rows: { expires_at: Date }[] = await tx.query(
        `insert into sessions (id_hash, username, csrf_token, expires_at) values ($1, $2, $3, now() + make_interval(secs => $4))
         returning expires_at`,
        [idHash, account.username, csrfToken, ttlSeconds],
      );
      await recordOperatorAction(tx, {
        operator: { sub: account.username, roles: account.roles },
        action: 'console.sign-in',
        subject: `operator:${account.username}`,
      });
      return rows[0]!.expires_at;
    });
  }

  async findSession(idHash: Buffer): Promise<SessionRecord | undefined> {
    const rows: { username: string; roles: OperatorRole[]; csrf_token: string; expires_at: Date }[] = await this.db.query(
      `select s.username, o.roles, s.csrf_token, s.expires_at from sessions s join operators o using (username)
        where s.id_hash = $1 and s.expires_at > now()`,
      [idHash],
    );
    const row = rows[0];
    return row && { username: row.username, roles: row.roles, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async endSession(idHash: Buffer, operator: { sub: string; roles: OperatorRole[] }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted: unknown[] = await tx.query(`delete from sessions where id_hash = $1 returning 1`, [idHash]);
      const ended = (deleted[0] as unknown[] | undefined)?.length ?? deleted.length;
      if (ended > 0) await recordOperatorAction(tx, { operator, action: 'console.sign-out', subject: `operator:${operator.sub}` });
      return ended > 0;
    });
  }
}
