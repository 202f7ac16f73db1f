import type { PeopleEventType } from '@countersign/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of an organization's people audit trail (who did what to whom), hash-chained per
 * organization like a chart's events. Append-only; never a password or a token.
 */
@Entity('people_events')
export class PeopleEventEntity {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId!: string;

  @PrimaryColumn('integer')
  seq!: number;

  @Column('text')
  type!: PeopleEventType;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('uuid', { name: 'subject_id' })
  subjectId!: string;

  @Column('text', { name: 'subject_name' })
  subjectName!: string;

  @Column('jsonb', { default: () => "'{}'" })
  payload!: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('text')
  hash!: string;
}
