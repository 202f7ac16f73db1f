import { Inject, Injectable } from '@nestjs/common';
import type { SessionEndReason, SessionUser } from '@countersign/shared';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '../database/live-pool.js';
import { returningRows } from '../database/returning-rows.js';

/** A session that is open now, with its user and organization as they are now. */
export interface OpenSessionRow {
  id: string;
  expiresAt: Date;
  lastActivityAt: Date;
  user: SessionUser;
}

/** Why a session that is no longer open ended, as stored. */
export interface EndedSessionRow {
  id: string;
  end_reason: SessionEndReason | null;
  deactivated: boolean;
}

/** The conditions under which a session (`s`, its user `u`) is open; `idle` names the seconds parameter. */
export function sessionOpenSql(idle: string): string {
  return `s.ended_at IS NULL AND s.expires_at > now() AND s.last_activity_at > now() - make_interval(secs => ${idle})
    AND u.deactivated_at IS NULL`;
}

/**
 * All of the `sessions` table's SQL. Every REST request and socket command checks its session
 * with one indexed join, a raw statement because it runs once per socket command (the entity
 * query builder cost more CPU than the statement itself). Every lifetime and idle test uses the
 * database's clock (`now()`): the writes that set or compare it are raw statements here.
 */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async insert(
    userId: string,
    ttlMinutes: number,
  ): Promise<{ id: string; expires_at: Date; last_activity_at: Date }> {
    const [row] = await this.dataSource.query<
      Array<{ id: string; expires_at: Date; last_activity_at: Date }>
    >(
      `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + make_interval(mins => $2))
       RETURNING id, expires_at, last_activity_at`,
      [userId, ttlMinutes],
    );
    return row!;
  }

  async findOpen(
    sessionId: string,
    userId: string,
    idleSeconds: number,
    runner: SqlRunner = this.dataSource,
  ): Promise<OpenSessionRow | null> {
    const [row] = await runner.query<
      Array<{
        id: string;
        expires_at: Date;
        last_activity_at: Date;
        email: string;
        name: string;
        role: SessionUser['role'];
        organization_id: string;
        organization_name: string;
      }>
    >(
      `SELECT s.id, s.expires_at, s.last_activity_at, u.email, u.name, u.role, u.organization_id,
              o.name AS organization_name
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id
        WHERE s.id = $1 AND s.user_id = $2 AND ${sessionOpenSql('$3')}`,
      [sessionId, userId, idleSeconds],
    );
    if (!row) return null;
    return {
      id: row.id,
      expiresAt: row.expires_at,
      lastActivityAt: row.last_activity_at,
      user: {
        id: userId,
        email: row.email,
        name: row.name,
        role: row.role,
        organizationId: row.organization_id,
        organizationName: row.organization_name,
      },
    };
  }

  /** Restarts the idle clock of a session not ended; answers the new activity time. */
  async touch(sessionId: string): Promise<Date | null> {
    const touched = returningRows<{ last_activity_at: Date }>(
      await this.dataSource.query(
        'UPDATE sessions SET last_activity_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING last_activity_at',
        [sessionId],
      ),
    );
    return touched[0]?.last_activity_at ?? null;
  }

  /** Ends the session if still open; answers the ids it ended. */
  async end(sessionId: string, reason: SessionEndReason): Promise<string[]> {
    return this.endWhere('id = $1', sessionId, reason);
  }

  /** Ends every open session of a user; answers the ids it ended. */
  async endAllOf(userId: string, reason: SessionEndReason): Promise<string[]> {
    return this.endWhere('user_id = $1', userId, reason);
  }

  /**
   * Of the sessions `ids`, each expected to act with `roles[i]`, those that are no longer open
   * (role null) or whose user's role is now another (that role). A session as expected sends no
   * row, so sweeping thousands of quiet sockets reads nothing back.
   */
  async changedOrClosed(
    ids: readonly string[],
    roles: readonly SessionUser['role'][],
    idleSeconds: number,
  ): Promise<Array<{ id: string; role: SessionUser['role'] | null }>> {
    return this.dataSource.query<Array<{ id: string; role: SessionUser['role'] | null }>>(
      `SELECT k.id, now_open.role
         FROM unnest($1::uuid[], $2::text[]) AS k(id, role)
         LEFT JOIN LATERAL (
           SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = k.id AND ${sessionOpenSql('$3')}) now_open ON true
        WHERE now_open.role IS DISTINCT FROM k.role`,
      [ids, roles, idleSeconds],
    );
  }

  /** Marks those of `ids` past their lifetime or idle period ended (`expired` or `idle`). */
  async endLapsed(ids: readonly string[], idleSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET ended_at = now(), end_reason = CASE WHEN expires_at <= now() THEN 'expired' ELSE 'idle' END
        WHERE id = ANY($1::uuid[]) AND ended_at IS NULL
          AND (expires_at <= now() OR last_activity_at <= now() - make_interval(secs => $2))`,
      [ids, idleSeconds],
    );
  }

  /** How each of `ids` ended, and whether its user is deactivated. */
  endings(ids: readonly string[]): Promise<EndedSessionRow[]> {
    return this.dataSource.query<EndedSessionRow[]>(
      `SELECT s.id, s.end_reason, u.deactivated_at IS NOT NULL AS deactivated FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  private async endWhere(
    condition: 'id = $1' | 'user_id = $1',
    id: string,
    reason: SessionEndReason,
  ): Promise<string[]> {
    const rows = returningRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE ${condition} AND ended_at IS NULL RETURNING id`,
        [id, reason],
      ),
    );
    return rows.map((r) => r.id);
  }
}
