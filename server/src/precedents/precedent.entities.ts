import type { PrecedentSettlement, PrecedentStatus } from '@countersign/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The precedent library's tables, column for column as migrations Precedents and
 * PrecedentLibrary create them. The SQL is in precedents.repository.ts.
 */

/** How a settled dispute was decided, numbered per organization. */
@Entity('precedents')
export class PrecedentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('integer')
  number!: number;

  @Column('text')
  question!: string;

  @Column('text', { array: true })
  codes!: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  modifiers!: string[];

  @Column('text')
  decision!: string;

  @Column('text')
  reasoning!: string;

  @Column('text', { name: 'settled_how' })
  settledHow!: PrecedentSettlement;

  @Column('uuid', { name: 'source_encounter_id', nullable: true })
  sourceEncounterId!: string | null;

  @Column('uuid', { name: 'source_suggestion_id', nullable: true })
  sourceSuggestionId!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('text', { name: 'decided_by_name' })
  decidedByName!: string;

  @Column('text', { default: 'active' })
  status!: PrecedentStatus;

  @Column('text', { name: 'retired_reason', nullable: true })
  retiredReason!: string | null;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** One edit, retirement or reactivation of a precedent: who, when, before and after. */
@Entity('precedent_revisions')
export class PrecedentRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'precedent_id' })
  precedentId!: string;

  @Column('text')
  kind!: 'edit' | 'retire' | 'reactivate';

  @Column('jsonb')
  before!: Record<string, unknown>;

  @Column('jsonb')
  after!: Record<string, unknown>;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('uuid', { name: 'changed_by', nullable: true })
  changedBy!: string | null;

  @Column('text', { name: 'changed_by_name' })
  changedByName!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const PRECEDENT_ENTITIES = [PrecedentEntity, PrecedentRevisionEntity];
