import { Inject, Injectable } from '@nestjs/common';
import type { Role, SessionUser, TeamMember } from '@countersign/shared';
import { DataSource, In, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows.js';
import { OrganizationEntity } from './organization.entity.js';
import { UserEntity } from './user.entity.js';

/** A person after an admin's change, with what the change did. */
export interface ChangedUserRow {
  id: string;
  name: string;
  email: string;
  role: TeamMember['role'];
  previous_role: TeamMember['role'];
  role_changed: boolean;
  deactivated: boolean;
  reactivated: boolean;
}

/** A person as the People page lists them, straight from SQL. */
export interface PersonRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  created_at: Date;
  last_login_at: Date | null;
  deactivated_at: Date | null;
  has_password: boolean;
  link_expires_at: Date | null;
}

/** The people columns, with whether a password is set and the pending link's expiry (never the hash). */
const PERSON_COLUMNS = `u.id, u.name, u.email, u.role, u.created_at, u.last_login_at, u.deactivated_at,
  u.password_hash IS NOT NULL AS has_password,
  (SELECT max(l.expires_at) FROM password_links l
    WHERE l.user_id = u.id AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now()) AS link_expires_at`;

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

  /** The name of the trainee among `ids`, if one is (docs/domain.md section 11.1). */
  async traineeAmong(organizationId: string, ids: string[]): Promise<string | null> {
    const user = await this.users.findOne({
      select: { name: true },
      where: { organizationId, id: In(ids), trainee: true },
    });
    return user?.name ?? null;
  }

  async roleOf(userId: string, organizationId: string): Promise<Role | null> {
    const user = await this.users.findOne({
      select: { role: true },
      where: { id: userId, organizationId },
    });
    return user?.role ?? null;
  }

  /** Everyone in the organization with what the People page shows, by name. */
  people(organizationId: string): Promise<PersonRow[]> {
    return this.dataSource.query<PersonRow[]>(
      `SELECT ${PERSON_COLUMNS} FROM users u WHERE u.organization_id = $1 ORDER BY lower(u.name), u.id`,
      [organizationId],
    );
  }

  /** One person of the organization, read in `tx` (after a change) or alone. */
  async person(
    userId: string,
    organizationId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<PersonRow | null> {
    const [row] = await tx.query<PersonRow[]>(
      `SELECT ${PERSON_COLUMNS} FROM users u WHERE u.id = $1 AND u.organization_id = $2`,
      [userId, organizationId],
    );
    return row ?? null;
  }

  /** Locks a person's row for a change that depends on it (a new password link); null when not in the organization. */
  async lockPerson(
    tx: EntityManager,
    userId: string,
    organizationId: string,
  ): Promise<PersonRow | null> {
    const [row] = await tx.query<PersonRow[]>(
      `SELECT ${PERSON_COLUMNS} FROM users u WHERE u.id = $1 AND u.organization_id = $2 FOR UPDATE OF u`,
      [userId, organizationId],
    );
    return row ?? null;
  }

  /** Adds a person without a password (they choose one through their link). A taken email raises 23505. */
  async insertInvited(
    tx: EntityManager,
    person: { organizationId: string; email: string; name: string; role: Role },
  ): Promise<string> {
    const row = tx.getRepository(UserEntity).create({ ...person, passwordHash: null });
    await tx.getRepository(UserEntity).insert(row);
    return row.id;
  }

  /**
   * The organization whose slug `name` makes, created when there is none (the command line's
   * first admin of a new team). Raw SQL: one upsert that answers the id either way.
   */
  async organizationBySlugOrNew(tx: EntityManager, name: string): Promise<string> {
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'team';
    const [row] = await tx.query<Array<{ id: string }>>(
      `INSERT INTO organizations (name, slug) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
      [name, slug],
    );
    return row!.id;
  }

  async emailTaken(tx: EntityManager, email: string): Promise<boolean> {
    return (await tx.getRepository(UserEntity).count({ where: { email } })) > 0;
  }

  /** Sets (a hash) or clears (null: a reset) the person's password. */
  async setPasswordHash(tx: EntityManager, userId: string, hash: string | null): Promise<void> {
    await tx.getRepository(UserEntity).update({ id: userId }, { passwordHash: hash });
  }

  /**
   * Changes a person's role and/or activity under a row lock and answers what actually changed
   * (compared with the row as it was), so sessions end only when something did. Raw SQL: the
   * before/after comparison is one statement.
   */
  async changeRoleOrActivity(
    tx: EntityManager,
    userId: string,
    organizationId: string,
    change: { role: Role | null; active: boolean | null },
  ): Promise<ChangedUserRow | null> {
    const rows = returningRows<ChangedUserRow>(
      await tx.query(
        `WITH before AS (SELECT id, role, deactivated_at FROM users WHERE id = $1 AND organization_id = $2 FOR UPDATE)
         UPDATE users u
            SET role = COALESCE($3, u.role),
                deactivated_at = CASE WHEN $4::boolean IS NULL THEN u.deactivated_at
                                      WHEN $4 THEN NULL
                                      ELSE COALESCE(u.deactivated_at, now()) END
           FROM before b
          WHERE u.id = b.id
        RETURNING u.id, u.name, u.email, u.role, b.role AS previous_role,
                  u.role IS DISTINCT FROM b.role AS role_changed,
                  (u.deactivated_at IS NOT NULL AND b.deactivated_at IS NULL) AS deactivated,
                  (u.deactivated_at IS NULL AND b.deactivated_at IS NOT NULL) AS reactivated`,
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
