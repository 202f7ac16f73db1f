import { Inject, Injectable } from '@nestjs/common';
import type { SessionEndReason, SessionUser } from '@countersign/shared';
import { Subject } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { SqlRunner } from '../database/live-pool.js';
import { SessionsRepository } from './sessions.repository.js';

/** A session that is open now, with the user as the database has them now. */
export interface OpenSession {
  id: string;
  user: SessionUser;
  expiresAt: Date;
  idleExpiresAt: Date;
}

/** Sessions that ended, for the gateway to tell and disconnect their sockets on every instance. */
export interface SessionsEnded {
  sessionIds: string[];
  reason: SessionEndReason;
}

/** Activity is written at most this often per session, so a burst of commands is one write. */
export const TOUCH_AFTER_SECONDS = 15;

/**
 * Sign-ins as rows. A session is open while it has not been ended, its absolute lifetime has
 * not passed, its last activity is within the idle period, and its user exists and is active.
 * Every REST request and socket command reads it (one indexed join, no cache), so an ended
 * session stops working on every instance at once.
 */
@Injectable()
export class SessionsService {
  private readonly endings = new Subject<SessionsEnded>();
  /** Sessions ended by this instance; the gateway disconnects their sockets across instances. */
  readonly ended = this.endings.asObservable();

  constructor(
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get idleSeconds(): number {
    return this.config.session.idleMinutes * 60;
  }

  /** Opens a session for a user who just proved who they are. */
  async start(userId: string): Promise<{ id: string; expiresAt: Date; idleExpiresAt: Date }> {
    const row = await this.sessions.insert(userId, this.config.session.ttlMinutes);
    return {
      id: row.id,
      expiresAt: row.expires_at,
      idleExpiresAt: this.idleDeadline(row.last_activity_at, row.expires_at),
    };
  }

  /**
   * The open session `sessionId` of `userId`, or null. With `activity` (a person did
   * something) its idle clock restarts: at most every 15 s for commands, always for `'reported'`
   * (the client's own activity report, sent at most once a minute). Database errors propagate:
   * an outage is `unavailable`, never a sign-out. `runner`: where the check runs (a live edit's
   * own transaction, so it travels with the row lock); the activity is written on the pool.
   */
  async find(
    sessionId: string,
    userId: string,
    options: { activity?: boolean | 'reported'; runner?: SqlRunner } = {},
  ): Promise<OpenSession | null> {
    const row = await this.sessions.findOpen(sessionId, userId, this.idleSeconds, options.runner);
    if (!row) return null;
    let lastActivity = row.lastActivityAt;
    if (
      options.activity === 'reported' ||
      (options.activity && Date.now() - lastActivity.getTime() > TOUCH_AFTER_SECONDS * 1000)
    ) {
      lastActivity = (await this.sessions.touch(sessionId)) ?? lastActivity;
    }
    return {
      id: row.id,
      user: row.user,
      expiresAt: row.expiresAt,
      idleExpiresAt: this.idleDeadline(lastActivity, row.expiresAt),
    };
  }

  /** Ends one session (logout). */
  async end(sessionId: string, reason: SessionEndReason): Promise<void> {
    const ended = await this.sessions.end(sessionId, reason);
    this.announce(ended.concat(sessionId), reason);
  }

  /** Ends every open session of a user (role change, deactivation). */
  async endAllOf(userId: string, reason: SessionEndReason): Promise<void> {
    this.announce(await this.sessions.endAllOf(userId, reason), reason);
  }

  /**
   * Of the sessions this instance's sockets hold, each with the role its sockets act with: the
   * open ones whose user's role changed since (with the role now), and why each one that is no
   * longer open ended. Sessions found past their lifetime or idle period are marked ended here;
   * a session whose user was deleted is gone and reads as `expired`. Only changed sessions come
   * back from Postgres.
   */
  async stillOpen(expected: ReadonlyMap<string, SessionUser['role']>): Promise<{
    changedRoles: Map<string, SessionUser['role']>;
    ended: Map<string, SessionEndReason>;
  }> {
    const changedRoles = new Map<string, SessionUser['role']>();
    const ended = new Map<string, SessionEndReason>();
    if (expected.size === 0) return { changedRoles, ended };
    const rows = await this.sessions.changedOrClosed(
      [...expected.keys()],
      [...expected.values()],
      this.idleSeconds,
    );
    const closed: string[] = [];
    for (const row of rows)
      if (row.role === null) closed.push(row.id);
      else changedRoles.set(row.id, row.role);
    if (closed.length > 0) {
      await this.sessions.endLapsed(closed, this.idleSeconds);
      const reasons = await this.sessions.endings(closed);
      const known = new Map(
        reasons.map(
          (r) => [r.id, r.deactivated ? 'deactivated' : (r.end_reason ?? 'expired')] as const,
        ),
      );
      for (const id of closed) ended.set(id, known.get(id) ?? 'expired');
    }
    return { changedRoles, ended };
  }

  private idleDeadline(lastActivity: Date, expiresAt: Date): Date {
    return new Date(
      Math.min(lastActivity.getTime() + this.idleSeconds * 1000, expiresAt.getTime()),
    );
  }

  private announce(sessionIds: string[], reason: SessionEndReason): void {
    const unique = [...new Set(sessionIds)];
    if (unique.length > 0) this.endings.next({ sessionIds: unique, reason });
  }
}
