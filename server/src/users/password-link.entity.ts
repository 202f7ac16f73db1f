import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A one-time set-password link. Only the sha256 of its random token is stored; it works once,
 * until `expiresAt`, and not after a newer link for the same person revoked it.
 */
@Entity('password_links')
export class PasswordLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  @Column('text')
  purpose!: 'invite' | 'reset';

  /** The admin who issued it (no foreign key: a historical fact). */
  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
