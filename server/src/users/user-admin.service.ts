import { Inject, Injectable } from '@nestjs/common';
import {
  isAdminRole,
  type SessionUser,
  type TeamMember,
  type UserUpdate,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { SessionsService } from '../auth/sessions.service.js';
import { returningRows } from '../database/returning-rows.js';
import { DomainError } from '../errors/domain-error.js';

/** Admin changes to people: role and deactivation, each ending the person's sessions. */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionsService) private readonly sessions: SessionsService,
  ) {}

  /**
   * An admin changes a teammate's role or deactivates / reactivates them. A changed role or a
   * deactivation ends every session of that person at once (on every instance), so the new
   * rights apply from their next sign-in. Admins cannot change themselves (no self lock-out).
   */
  async update(admin: SessionUser, userId: string, change: UserUpdate): Promise<TeamMember> {
    if (!isAdminRole(admin.role))
      throw DomainError.forbidden('Only an admin can change roles or deactivate people');
    if (admin.id === userId)
      throw DomainError.forbidden('You cannot change your own role or deactivate yourself');
    // The operator changes every organization's code sets: only an operator makes or changes one.
    if (admin.role !== 'operator') {
      const [target] = (await this.dataSource.query(
        'SELECT role FROM users WHERE id = $1 AND organization_id = $2',
        [userId, admin.organizationId],
      )) as Array<{ role: string }>;
      if (change.role === 'operator' || target?.role === 'operator') {
        throw DomainError.forbidden(
          'Only an instance operator can grant the operator role or change an operator',
        );
      }
    }
    type Row = {
      id: string;
      name: string;
      email: string;
      role: TeamMember['role'];
      role_changed: boolean;
      deactivated: boolean;
    };
    const rows = returningRows<Row>(
      await this.dataSource.query(
        `WITH before AS (SELECT id, role, deactivated_at FROM users WHERE id = $1 AND organization_id = $2 FOR UPDATE)
         UPDATE users u
            SET role = COALESCE($3, u.role),
                deactivated_at = CASE WHEN $4::boolean IS NULL THEN u.deactivated_at
                                      WHEN $4 THEN NULL
                                      ELSE COALESCE(u.deactivated_at, now()) END
           FROM before b
          WHERE u.id = b.id
        RETURNING u.id, u.name, u.email, u.role, u.role IS DISTINCT FROM b.role AS role_changed,
                  (u.deactivated_at IS NOT NULL AND b.deactivated_at IS NULL) AS deactivated`,
        [userId, admin.organizationId, change.role ?? null, change.active ?? null],
      ),
    );
    const row = rows[0];
    if (!row) throw DomainError.notFound('The user');
    if (row.deactivated) await this.sessions.endAllOf(row.id, 'deactivated');
    else if (row.role_changed) await this.sessions.endAllOf(row.id, 'role_changed');
    return { id: row.id, name: row.name, email: row.email, role: row.role };
  }
}
