import type { EncounterStatus } from '@countersign/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The encounter row; `version` is the sequence number of its last event. */
@Entity('encounters')
export class EncounterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

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

  @Column('text', { array: true })
  diagnoses!: string[];

  @Column('text')
  status!: EncounterStatus;

  @Column('uuid', { name: 'coder_id', nullable: true })
  coderId!: string | null;

  @Column('uuid', { name: 'reviewer_id', nullable: true })
  reviewerId!: string | null;

  @Column('integer')
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
