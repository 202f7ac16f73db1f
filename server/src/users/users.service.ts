import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser, TeamMember } from '@countersign/shared';
import type { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** Reads users; every read names the organization it is scoped to. */
@Injectable()
export class UsersService {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  /** The signed-in user as the client sees it, or null when the user or organization is gone. */
  sessionUser(userId: string, organizationId: string): Promise<SessionUser | null> {
    return this.users.sessionUser(userId, organizationId);
  }

  /** Who a command-line tool acts as: an active member of the organization, or null. */
  activeMember(organizationSlug: string, email: string): Promise<SessionUser | null> {
    return this.users.activeMember(organizationSlug, email);
  }

  /** A user with the password hash, for login only. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.users.findForLogin(email);
  }

  recordLogin(userId: string): Promise<void> {
    return this.users.recordLogin(userId);
  }

  /** Everyone in the organization, for assignment, presence and mentions. */
  async team(organizationId: string): Promise<TeamMember[]> {
    const users = await this.users.team(organizationId);
    return users.map(({ id, name, email, role, deactivatedAt }) => ({
      id,
      name,
      email,
      role,
      active: deactivatedAt === null,
    }));
  }

  /** The organization's members by lower-cased email, with whether they are deactivated. */
  async membersByEmail(
    organizationId: string,
  ): Promise<Map<string, TeamMember & { deactivated: boolean }>> {
    const users = await this.users.team(organizationId);
    return new Map(
      users.map(({ id, name, email, role, deactivatedAt }) => [
        email.toLowerCase(),
        { id, name, email, role, deactivated: deactivatedAt !== null },
      ]),
    );
  }

  /** True when every id is a user of the organization (null ids are ignored). */
  /** The name of the trainee among `ids`, who may be given no real chart; null when none is. */
  traineeAmong(
    organizationId: string,
    ids: ReadonlyArray<string | null | undefined>,
  ): Promise<string | null> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    return wanted.length ? this.users.traineeAmong(organizationId, wanted) : Promise.resolve(null);
  }

  async allInOrganization(
    organizationId: string,
    ids: ReadonlyArray<string | null | undefined>,
  ): Promise<boolean> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (wanted.length === 0) return true;
    return (await this.users.countInOrganization(organizationId, wanted)) === wanted.length;
  }
}
