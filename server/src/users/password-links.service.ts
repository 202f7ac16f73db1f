import { Inject, Injectable } from '@nestjs/common';
import type { PasswordLinkInfo } from '@countersign/shared';
import { DataSource } from 'typeorm';
import { PeopleTrail } from '../audit/people-trail.js';
import { DomainError } from '../errors/domain-error.js';
import { PasswordLinksRepository } from './password-links.repository.js';
import { passwordTokenHash } from './password-token.js';
import { UsersRepository } from './users.repository.js';

/** The one answer for a link that does not work, whatever the reason (unknown, used, expired, replaced). */
export function linkNotUsable(): DomainError {
  return new DomainError(
    'not_found',
    'This set-password link does not work: it was used, has expired or a newer one was issued. Ask your admin for a new link.',
  );
}

/**
 * The person's side of a set-password link: whose account it opens, and choosing the password.
 * The caller (AuthService) brakes guessing; the token is looked up by its hash only.
 */
@Injectable()
export class PasswordLinksService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PasswordLinksRepository) private readonly links: PasswordLinksRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PeopleTrail) private readonly trail: PeopleTrail,
  ) {}

  /** Whose account a usable link is for (name and organization); null when it does not work. */
  async describe(token: string): Promise<PasswordLinkInfo | null> {
    const link = await this.links.findUsable(passwordTokenHash(token));
    if (!link) return null;
    return {
      name: link.name,
      organizationName: link.organization_name,
      purpose: link.purpose,
      expiresAt: link.expires_at.toISOString(),
    };
  }

  /**
   * Sets the password `hash` through the link and uses the link up, with its audit entry, in one
   * transaction; answers the email to sign in with, or null when the link does not work.
   */
  setPassword(token: string, hash: string): Promise<{ email: string } | null> {
    return this.dataSource.transaction(async (tx) => {
      const link = await this.links.findUsable(passwordTokenHash(token), tx);
      if (!link) return null;
      await this.users.setPasswordHash(tx, link.user_id, hash);
      await this.links.markUsed(tx, link.id);
      await this.trail.record(tx, {
        organizationId: link.organization_id,
        type: 'person.password_set',
        actorId: link.user_id,
        actorName: link.name,
        subjectId: link.user_id,
        subjectName: link.name,
        payload: { purpose: link.purpose },
      });
      return { email: link.email };
    });
  }
}
