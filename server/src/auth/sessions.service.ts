import { Inject, Injectable } from '@nestjs/common';
import type { SessionEndReason, SessionUser } from '@countersign/shared';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { returningRows } from '../database/returning-rows.js';

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
const TOUCH_AFTER_SECONDS = 15;

interface SessionRow {
  id: string;
  expires_at: Date;
  last_activity_at: Date;
  user_id: string;
  email: string;
  name: string;
  role: SessionUser['role'];
  organization_id: string;
  organization_name: string;
}

/** The conditions under which a session row is open; `$idle` is the idle period in seconds. */
const OPEN = (
  idle: string,
) => `s.ended_at IS NULL AND s.expires_at > now() AND s.last_activity_at > now() - make_interval(secs => ${idle})
  AND u.deactivated_at IS NULL`;

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
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get idleSeconds(): number {
    return this.config.session.idleMinutes * 60;
  }

  /** Opens a session for a user who just proved who they are. */
  async start(userId: string): Promise<{ id: string; expiresAt: Date; idleExpiresAt: Date }> {
    const [row]: Array<{ id: string; expires_at: Date; last_activity_at: Date }> =
      await this.dataSource.query(
        `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + make_interval(mins => $2))
       RETURNING id, expires_at, last_activity_at`,
        [userId, this.config.session.ttlMinutes],
      );
    return {
      id: row!.id,
      expiresAt: row!.expires_at,
      idleExpiresAt: this.idleDeadline(row!.last_activity_at, row!.expires_at),
    };
  }

  /**
   * The open session `sessionId` of `userId`, or null. With `activity` (a person did
   * something) its idle clock restarts: at most every 15 s for commands, always for `'reported'`
   * (the client's own activity report, sent at most once a minute). Database errors propagate:
   * an outage is `unavailable`, never a sign-out.
   */
  async find(
    sessionId: string,
    userId: string,
    options: { activity?: boolean | 'reported' } = {},
  ): Promise<OpenSession | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT s.id, s.expires_at, s.last_activity_at, u.id AS user_id, u.email, u.name, u.role, u.organization_id, o.name AS organization_name
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id
        WHERE s.id = $1 AND s.user_id = $2 AND ${OPEN('$3')}`,
      [sessionId, userId, this.idleSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    let lastActivity = row.last_activity_at;
    if (
      options.activity === 'reported' ||
      (options.activity && Date.now() - lastActivity.getTime() > TOUCH_AFTER_SECONDS * 1000)
    ) {
      const touched = returningRows<{ last_activity_at: Date }>(
        await this.dataSource.query(
          'UPDATE sessions SET last_activity_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING last_activity_at',
          [sessionId],
        ),
      );
      lastActivity = touched[0]?.last_activity_at ?? lastActivity;
    }
    return {
      id: row.id,
      user: {
        id: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        organizationId: row.organization_id,
        organizationName: row.organization_name,
      },
      expiresAt: row.expires_at,
      idleExpiresAt: this.idleDeadline(lastActivity, row.expires_at),
    };
  }

  /** Ends one session (logout). */
  async end(sessionId: string, reason: SessionEndReason): Promise<void> {
    const rows = returningRows<{ id: string }>(
      await this.dataSource.query(
        'UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id',
        [sessionId, reason],
      ),
    );
    this.announce(rows.map((r) => r.id).concat(sessionId), reason);
  }

  /** Ends every open session of a user (role change, deactivation). */
  async endAllOf(userId: string, reason: SessionEndReason): Promise<void> {
    const rows = returningRows<{ id: string }>(
      await this.dataSource.query(
        'UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE user_id = $1 AND ended_at IS NULL RETURNING id',
        [userId, reason],
      ),
    );
    this.announce(
      rows.map((r) => r.id),
      reason,
    );
  }

  /**
   * Of the sessions `ids` (this instance's sockets): the open ones with their user's role now,
   * and why each other one ended. Sessions found past their lifetime or idle period are marked
   * ended here; a session whose user was deleted is gone and reads as `expired`.
   */
  async stillOpen(
    ids: readonly string[],
  ): Promise<{ open: Map<string, SessionUser['role']>; ended: Map<string, SessionEndReason> }> {
    const ended = new Map<string, SessionEndReason>();
    if (ids.length === 0) return { open: new Map(), ended };
    const rows: Array<{ id: string; role: SessionUser['role'] }> = await this.dataSource.query(
      `SELECT s.id, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY($1::uuid[]) AND ${OPEN('$2')}`,
      [ids, this.idleSeconds],
    );
    const open = new Map(rows.map((r) => [r.id, r.role]));
    const closed = ids.filter((id) => !open.has(id));
    if (closed.length > 0) {
      await this.dataSource.query(
        `UPDATE sessions SET ended_at = now(), end_reason = CASE WHEN expires_at <= now() THEN 'expired' ELSE 'idle' END
          WHERE id = ANY($1::uuid[]) AND ended_at IS NULL
            AND (expires_at <= now() OR last_activity_at <= now() - make_interval(secs => $2))`,
        [closed, this.idleSeconds],
      );
      const reasons: Array<{
        id: string;
        end_reason: SessionEndReason | null;
        deactivated: boolean;
      }> = await this.dataSource.query(
        `SELECT s.id, s.end_reason, u.deactivated_at IS NOT NULL AS deactivated FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY($1::uuid[])`,
        [closed],
      );
      const known = new Map(
        reasons.map(
          (r) => [r.id, r.deactivated ? 'deactivated' : (r.end_reason ?? 'expired')] as const,
        ),
      );
      for (const id of closed) ended.set(id, known.get(id) ?? 'expired');
    }
    return { open, ended };
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
