import { Inject, Injectable } from '@nestjs/common';
import {
  PASSWORD_LINK_HOURS,
  isAdminRole,
  type NewPerson,
  type Person,
  type PersonWithLink,
  type Role,
  type SessionUser,
  type UserUpdate,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleTrail } from '../audit/people-trail.js';
import type { PeopleEntry } from '../audit/people-trail.repository.js';
import { SessionsService } from '../auth/sessions.service.js';
import { isUniqueViolation } from '../database/database-errors.js';
import { DomainError } from '../errors/domain-error.js';
import { PasswordLinksRepository } from './password-links.repository.js';
import { newPasswordToken, passwordTokenHash } from './password-token.js';
import { toPerson } from './person.mapper.js';
import { UsersRepository, type PersonRow } from './users.repository.js';

/** Who acts on a person: an admin, or the command line (no id) that adds an organization's first admin. */
interface Actor {
  id: string | null;
  name: string;
  organizationId: string;
}

/** The actor the command line writes on the people trail. */
export const COMMAND_LINE_ACTOR_NAME = 'command line (npm run people:add-admin)';

/**
 * An organization admin's work on people: adding them, changing roles, deactivating and
 * reactivating, and issuing set-password links (invite and reset). Each change and its audit
 * entry commit in one transaction; sessions end after commit. Admins never act on themselves
 * (no self lock-out), and only the instance operator grants the operator role or touches an
 * operator.
 */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PasswordLinksRepository) private readonly links: PasswordLinksRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(PeopleTrail) private readonly trail: PeopleTrail,
  ) {}

  /** Everyone in the admin's organization with status and last sign-in. */
  async people(admin: SessionUser): Promise<Person[]> {
    assertAdmin(admin, 'see everyone’s status');
    return (await this.users.people(admin.organizationId)).map(toPerson);
  }

  /** Adds a person without a password and issues their first set-password link. */
  async add(admin: SessionUser, person: NewPerson): Promise<PersonWithLink> {
    assertAdmin(admin, 'add people');
    assertOperatorRule(admin, person.role);
    return this.addedOrConflict(() =>
      this.dataSource.transaction((tx) => this.addIn(tx, admin, person)),
    );
  }

  private async addIn(tx: EntityManager, actor: Actor, person: NewPerson): Promise<PersonWithLink> {
    // Checked first so the usual case logs no failed statement; the constraint covers a race.
    if (await this.users.emailTaken(tx, person.email)) throw emailTaken();
    const id = await this.users.insertInvited(tx, {
      organizationId: actor.organizationId,
      ...person,
    });
    await this.trail.record(tx, {
      ...entry(actor, id, person.name),
      type: 'person.added',
      payload: { email: person.email, role: person.role },
    });
    return this.issue(tx, actor, id, person.name, 'invite');
  }

  /** A taken email is a `conflict` on the email field, whoever added the person. */
  private async addedOrConflict(add: () => Promise<PersonWithLink>): Promise<PersonWithLink> {
    try {
      return await add();
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw emailTaken();
      throw error;
    }
  }

  /**
   * The command line's way in for a new team: adds `person` (an admin or operator) to the
   * organization named `organizationName` (created when no organization has its slug) and
   * issues their set-password link. Audited with the command line as the actor.
   */
  async addFirstAdmin(organizationName: string, person: NewPerson): Promise<PersonWithLink> {
    if (!isAdminRole(person.role))
      throw new DomainError('validation_failed', 'The first person must be an admin or operator');
    return this.addedOrConflict(() =>
      this.dataSource.transaction(async (tx) => {
        const organizationId = await this.users.organizationBySlugOrNew(tx, organizationName);
        const actor = { id: null, name: COMMAND_LINE_ACTOR_NAME, organizationId };
        return this.addIn(tx, actor, person);
      }),
    );
  }

  /**
   * A new set-password link for the person: any older pending link stops working. For someone
   * who had a password (a reset) the password is cleared and every session of theirs ends, so
   * only the new link gets them in again.
   */
  async passwordLink(admin: SessionUser, userId: string): Promise<PersonWithLink> {
    assertAdmin(admin, 'reset passwords');
    if (admin.id === userId)
      throw DomainError.forbidden('You cannot reset your own password; ask another admin');
    const result = await this.dataSource.transaction(async (tx) => {
      const target = await this.users.lockPerson(tx, userId, admin.organizationId);
      if (!target) throw DomainError.notFound('The user');
      assertOperatorRule(admin, target.role);
      if (target.deactivated_at)
        throw new DomainError('invalid_state', 'Reactivate this person before issuing a link');
      if (target.has_password) await this.users.setPasswordHash(tx, userId, null);
      const purpose = target.has_password ? 'reset' : 'invite';
      return this.issue(tx, admin, userId, target.name, purpose);
    });
    // Every link ends the person's sessions, not only the one that cleared a password: when
    // ending them failed after a reset committed, the admin's retry (an "invite" now, the
    // password already gone) still ends them. Someone invited has none, so it costs nothing.
    await this.sessions.endAllOf(userId, 'password_reset');
    return result;
  }

  /**
   * Changes a person's role or (de)activates them. A changed role or a deactivation ends every
   * session of that person at once (on every instance), so the new rights apply from their
   * next sign-in. Each change that happened is one audit entry.
   */
  async update(admin: SessionUser, userId: string, change: UserUpdate): Promise<Person> {
    assertAdmin(admin, 'change roles or deactivate people');
    if (admin.id === userId)
      throw DomainError.forbidden('You cannot change your own role or deactivate yourself');
    const row = await this.dataSource.transaction(async (tx) => {
      if (admin.role !== 'operator') {
        assertOperatorRule(admin, await this.users.roleOf(userId, admin.organizationId));
        if (change.role) assertOperatorRule(admin, change.role);
      }
      const changed = await this.users.changeRoleOrActivity(tx, userId, admin.organizationId, {
        role: change.role ?? null,
        active: change.active ?? null,
      });
      if (!changed) throw DomainError.notFound('The user');
      const base = entry(admin, changed.id, changed.name);
      if (changed.role_changed)
        await this.trail.record(tx, {
          ...base,
          type: 'person.role_changed',
          payload: { from: changed.previous_role, to: changed.role },
        });
      if (changed.deactivated) {
        // A link handed out before must not work again after a reactivation.
        await this.links.revokePending(tx, changed.id);
        await this.trail.record(tx, { ...base, type: 'person.deactivated', payload: {} });
      }
      if (changed.reactivated)
        await this.trail.record(tx, { ...base, type: 'person.reactivated', payload: {} });
      return changed;
    });
    if (row.deactivated) await this.sessions.endAllOf(row.id, 'deactivated');
    else if (row.role_changed) await this.sessions.endAllOf(row.id, 'role_changed');
    const person = await this.users.person(row.id, admin.organizationId);
    if (!person) throw DomainError.notFound('The user');
    return toPerson(person);
  }

  /** Revokes the person's pending links, stores a new one's hash, audits it; the token leaves once. */
  private async issue(
    tx: EntityManager,
    admin: Actor,
    userId: string,
    name: string,
    purpose: 'invite' | 'reset',
  ): Promise<PersonWithLink> {
    const token = newPasswordToken();
    await this.links.revokePending(tx, userId);
    const expiresAt = await this.links.insert(
      tx,
      { userId, tokenHash: passwordTokenHash(token), purpose, createdBy: admin.id },
      PASSWORD_LINK_HOURS,
    );
    await this.trail.record(tx, {
      ...entry(admin, userId, name),
      type: 'person.password_link_issued',
      payload: { purpose, expiresAt: expiresAt.toISOString() },
    });
    const person: PersonRow | null = await this.users.person(userId, admin.organizationId, tx);
    if (!person) throw DomainError.notFound('The user');
    return {
      person: toPerson(person),
      link: {
        token,
        path: `/set-password/${token}`,
        expiresAt: expiresAt.toISOString(),
      },
    };
  }
}

/** A taken email: `conflict`, with the field it is about. Emails are unique across the instance. */
function emailTaken(): DomainError {
  return new DomainError('conflict', 'Someone already has this email address', {
    issues: [{ path: 'email', message: 'Someone already has this email address' }],
  });
}

function assertAdmin(user: SessionUser, what: string): void {
  if (!isAdminRole(user.role)) throw DomainError.forbidden(`Only an admin can ${what}`);
}

/**
 * The operator changes every organization's code sets: only an operator grants that role, or
 * changes, resets or deactivates an operator. `role` is the one granted or the target's.
 */
function assertOperatorRule(admin: SessionUser, role: Role | null): void {
  if (role === 'operator' && admin.role !== 'operator')
    throw DomainError.forbidden(
      'Only an instance operator can grant the operator role or change an operator',
    );
}

/** The who-to-whom of an entry an admin's action writes. */
function entry(
  admin: Actor,
  subjectId: string,
  subjectName: string,
): Omit<PeopleEntry, 'type' | 'payload'> {
  return {
    organizationId: admin.organizationId,
    actorId: admin.id,
    actorName: admin.name,
    subjectId,
    subjectName,
  };
}
