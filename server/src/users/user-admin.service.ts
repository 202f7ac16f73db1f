import { Inject, Injectable } from '@nestjs/common';
import {
  isAdminRole,
  type SessionUser,
  type TeamMember,
  type UserUpdate,
} from '@countersign/shared';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersRepository } from './users.repository.js';

/** Admin changes to people: role and deactivation, each ending the person's sessions. */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
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
      const targetRole = await this.users.roleOf(userId, admin.organizationId);
      if (change.role === 'operator' || targetRole === 'operator') {
        throw DomainError.forbidden(
          'Only an instance operator can grant the operator role or change an operator',
        );
      }
    }
    const row = await this.users.changeRoleOrActivity(userId, admin.organizationId, {
      role: change.role ?? null,
      active: change.active ?? null,
    });
    if (!row) throw DomainError.notFound('The user');
    if (row.deactivated) await this.sessions.endAllOf(row.id, 'deactivated');
    else if (row.role_changed) await this.sessions.endAllOf(row.id, 'role_changed');
    return { id: row.id, name: row.name, email: row.email, role: row.role };
  }
}
