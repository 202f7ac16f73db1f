import type { PracticeKeyLineStored, PracticeScore, PromotionStatus } from '@countersign/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The practice charts' tables, column for column as migration PracticeCharts creates them.
 * The SQL is in practice.repository.ts.
 */

@Entity('practice_courses')
export class PracticeCourseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text')
  title!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('integer', { name: 'pass_percent' })
  passPercent!: number;

  @Column('integer', { name: 'min_charts' })
  minCharts!: number;

  @Column('boolean', { default: false })
  archived!: boolean;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('practice_charts')
export class PracticeChartEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'course_id' })
  courseId!: string;

  @Column('integer', { default: 0 })
  position!: number;

  @Column('text')
  title!: string;

  @Column('text', { name: 'patient_mrn' })
  patientMrn!: string;

  @Column('text', { name: 'patient_name' })
  patientName!: string;

  @Column('date', { name: 'patient_dob' })
  patientDob!: string;

  @Column('date', { name: 'date_of_service' })
  dateOfService!: string;

  @Column('text', { name: 'provider_name' })
  providerName!: string;

  @Column('text', { name: 'provider_npi', nullable: true })
  providerNpi!: string | null;

  @Column('text', { name: 'place_of_service' })
  placeOfService!: string;

  @Column('text', { name: 'clinical_note' })
  clinicalNote!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  diagnoses!: string[];

  @Column('jsonb', { name: 'key_lines' })
  keyLines!: PracticeKeyLineStored[];

  @Column('uuid', { name: 'source_encounter_id', nullable: true })
  sourceEncounterId!: string | null;

  @Column('boolean', { name: 'made_up_patient', default: false })
  madeUpPatient!: boolean;

  @Column('boolean', { default: false })
  archived!: boolean;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('practice_attempts')
export class PracticeAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'chart_id' })
  chartId!: string;

  @Column('uuid', { name: 'trainee_id' })
  traineeId!: string;

  @Column('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Column('integer', { name: 'elements_right', nullable: true })
  elementsRight!: number | null;

  @Column('integer', { name: 'elements_total', nullable: true })
  elementsTotal!: number | null;

  @Column('jsonb', { nullable: true })
  result!: PracticeScore | null;
}

@Entity('promotion_offers')
export class PromotionOfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'trainee_id' })
  traineeId!: string;

  @Column('uuid', { name: 'course_id' })
  courseId!: string;

  @Column('text', { default: 'open' })
  status!: PromotionStatus;

  @CreateDateColumn({ name: 'offered_at', type: 'timestamptz' })
  offeredAt!: Date;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('text', { nullable: true })
  note!: string | null;
}

export const PRACTICE_ENTITIES = [
  PracticeCourseEntity,
  PracticeChartEntity,
  PracticeAttemptEntity,
  PromotionOfferEntity,
];
