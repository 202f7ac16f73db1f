import { Inject, Injectable } from '@nestjs/common';
import type { Role, SessionUser, TeamMember } from '@countersign/shared';
import { DataSource, In } from 'typeorm';
import { returningRows } from '../database/returning-rows.js';
import { OrganizationEntity } from './organization.entity.js';
import { UserEntity } from './user.entity.js';

/** A person after an admin's change, with what the change did. */
export interface ChangedUserRow {
  id: string;
  name: string;
  email: string;
  role: TeamMember['role'];
  role_changed: boolean;
  deactivated: boolean;
}

/** A user loaded with its organization, as the client sees the signed-in person; null without it. */
export function toSessionUser(user: UserEntity): SessionUser | null {
  if (!user.organization) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    organizationName: user.organization.name,
  };
}

/** All of the SQL of users and organizations; reads name the organization they are scoped to. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  /** The user of the organization as signed in, or null when the user or organization is gone. */
  async sessionUser(userId: string, organizationId: string): Promise<SessionUser | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .innerJoinAndSelect('u.organization', 'o')
      .where('u.id = :userId AND u.organizationId = :organizationId', { userId, organizationId })
      .getOne();
    return user ? toSessionUser(user) : null;
  }

  /** An active member of the organization with this slug, by email, as a session user; or null. */
  async activeMember(organizationSlug: string, email: string): Promise<SessionUser | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .innerJoinAndSelect('u.organization', 'o')
      .where('o.slug = :organizationSlug AND lower(u.email) = lower(:email)', {
        organizationSlug,
        email,
      })
      .andWhere('u.deactivatedAt IS NULL')
      .getOne();
    return user ? toSessionUser(user) : null;
  }

  /** A user with the password hash, for login only. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
  }

  async recordLogin(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { lastLoginAt: new Date() });
  }

  /** Everyone in the organization, by name. */
  team(organizationId: string): Promise<UserEntity[]> {
    return this.users.find({ where: { organizationId }, order: { name: 'ASC' } });
  }

  /** How many of `ids` (distinct) are users of the organization. */
  countInOrganization(organizationId: string, ids: string[]): Promise<number> {
    return this.users.count({ where: { organizationId, id: In(ids) } });
  }

  async roleOf(userId: string, organizationId: string): Promise<Role | null> {
    const user = await this.users.findOne({
      select: { role: true },
      where: { id: userId, organizationId },
    });
    return user?.role ?? null;
  }

  /**
   * Changes a person's role and/or activity under a row lock and answers what actually changed
   * (compared with the row as it was), so sessions end only when something did. Raw SQL: the
   * before/after comparison is one statement.
   */
  async changeRoleOrActivity(
    userId: string,
    organizationId: string,
    change: { role: Role | null; active: boolean | null },
  ): Promise<ChangedUserRow | null> {
    const rows = returningRows<ChangedUserRow>(
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
        [userId, organizationId, change.role, change.active],
      ),
    );
    return rows[0] ?? null;
  }

  /** Whether any organization exists (the demo seed runs only on an empty database). */
  async anyOrganization(): Promise<boolean> {
    return (await this.dataSource.getRepository(OrganizationEntity).count()) > 0;
  }

  async insertOrganization(organization: { name: string; slug: string }): Promise<string> {
    const row = this.dataSource.getRepository(OrganizationEntity).create(organization);
    await this.dataSource.getRepository(OrganizationEntity).insert(row);
    return row.id;
  }

  async insertUser(
    user: Pick<UserEntity, 'organizationId' | 'email' | 'name' | 'role' | 'passwordHash'>,
  ): Promise<string> {
    const row = this.users.create(user);
    await this.users.insert(row);
    return row.id;
  }
}
