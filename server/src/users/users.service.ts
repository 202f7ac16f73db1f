import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser, TeamMember } from '@countersign/shared';
import { DataSource } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** Reads users; every read names the organization it is scoped to. */
@Injectable()
export class UsersService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The signed-in user as the client sees it, or null when the user or organization is gone. */
  async sessionUser(userId: string, organizationId: string): Promise<SessionUser | null> {
    const rows: Array<{
      id: string;
      email: string;
      name: string;
      role: SessionUser['role'];
      organization_id: string;
      organization_name: string;
    }> = await this.dataSource.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, o.name AS organization_name
           FROM users u JOIN organizations o ON o.id = u.organization_id
          WHERE u.id = $1 AND u.organization_id = $2`,
      [userId, organizationId],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          email: row.email,
          name: row.name,
          role: row.role,
          organizationId: row.organization_id,
          organizationName: row.organization_name,
        }
      : null;
  }

  /** A user with the password hash, for login only. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
  }

  async recordLogin(userId: string): Promise<void> {
    await this.dataSource
      .getRepository(UserEntity)
      .update({ id: userId }, { lastLoginAt: new Date() });
  }

  /** Everyone in the organization, for assignment, presence and mentions. */
  async team(organizationId: string): Promise<TeamMember[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({
      where: { organizationId },
      order: { name: 'ASC' },
    });
    return users.map(({ id, name, email, role }) => ({ id, name, email, role }));
  }

  /** True when every id is a user of the organization (null ids are ignored). */
  async allInOrganization(
    organizationId: string,
    ids: ReadonlyArray<string | null | undefined>,
  ): Promise<boolean> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (wanted.length === 0) return true;
    const rows: Array<{ n: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM users WHERE organization_id = $1 AND id = ANY($2::uuid[])',
      [organizationId, wanted],
    );
    return rows[0]?.n === wanted.length;
  }
}
