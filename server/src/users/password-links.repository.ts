import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { PasswordLinkEntity } from './password-link.entity.js';

/** A link that still works, with the person it is for. */
export interface UsableLinkRow {
  id: string;
  user_id: string;
  organization_id: string;
  purpose: 'invite' | 'reset';
  expires_at: Date;
  name: string;
  email: string;
  organization_name: string;
}

/**
 * All of the `password_links` SQL. A link is usable while unused, unrevoked, unexpired (by the
 * database's clock) and its person is active; looked up by the token's hash only.
 */
@Injectable()
export class PasswordLinksRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Revokes every pending link of the person: a newer one replaces them. */
  async revokePending(tx: EntityManager, userId: string): Promise<void> {
    await tx
      .getRepository(PasswordLinkEntity)
      .update({ userId, usedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Stores a new link (its token's hash) that works for `hours`; answers when it expires. */
  async insert(
    tx: EntityManager,
    link: {
      userId: string;
      tokenHash: string;
      purpose: 'invite' | 'reset';
      createdBy: string | null;
    },
    hours: number,
  ): Promise<Date> {
    const [row] = await tx.query<Array<{ expires_at: Date }>>(
      `INSERT INTO password_links (user_id, token_hash, purpose, created_by, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at`,
      [link.userId, link.tokenHash, link.purpose, link.createdBy, hours],
    );
    return row!.expires_at;
  }

  /** The usable link with this token hash, locked in `tx` when given (to use it); else null. */
  async findUsable(tokenHash: string, tx?: EntityManager): Promise<UsableLinkRow | null> {
    const [row] = await (tx ?? this.dataSource.manager).query<UsableLinkRow[]>(
      `SELECT l.id, l.user_id, u.organization_id, l.purpose, l.expires_at, u.name, u.email,
              o.name AS organization_name
         FROM password_links l
         JOIN users u ON u.id = l.user_id
         JOIN organizations o ON o.id = u.organization_id
        WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.revoked_at IS NULL
          AND l.expires_at > now() AND u.deactivated_at IS NULL
        ${tx ? 'FOR UPDATE OF l, u' : ''}`,
      [tokenHash],
    );
    return row ?? null;
  }

  async markUsed(tx: EntityManager, linkId: string): Promise<void> {
    await tx.getRepository(PasswordLinkEntity).update({ id: linkId }, { usedAt: () => 'now()' });
  }
}
