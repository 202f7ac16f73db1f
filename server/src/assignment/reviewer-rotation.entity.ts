import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organization's reviewer round-robin: who the last routed chart went to. */
@Entity('reviewer_rotations')
export class ReviewerRotationEntity {
  @PrimaryColumn('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'last_reviewer_id', nullable: true })
  lastReviewerId!: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
