import type {
  CreateEncounter,
  IntakeCommitMode,
  IntakeFormat,
  IntakeRowAction,
  IntakeRowError,
  IntakeStatus,
} from '@countersign/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The tables of charts in, column for column as migration EncounterIntake creates them. */

/** One uploaded file: its counts after validation and the progress of its commit. */
@Entity('encounter_imports')
export class EncounterImportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'created_by' })
  createdBy!: string;

  @Column('text')
  format!: IntakeFormat;

  @Column('text', { name: 'file_name', nullable: true })
  fileName!: string | null;

  @Column('text', { default: 'previewed' })
  status!: IntakeStatus;

  @Column('integer')
  total!: number;

  @Column('integer', { name: 'to_create' })
  toCreate!: number;

  @Column('integer', { name: 'already_imported' })
  alreadyImported!: number;

  @Column('integer')
  invalid!: number;

  @Column('text', { nullable: true })
  mode!: IntakeCommitMode | null;

  @Column('integer', { default: 0 })
  done!: number;

  @Column('integer', { default: 0 })
  created!: number;

  @Column('integer', { default: 0 })
  skipped!: number;

  @Column('text', { nullable: true })
  error!: string | null;

  /** Last sign of life of the commit running it; a stale one lets another commit resume. */
  @Column('timestamptz', { name: 'heartbeat_at', nullable: true })
  heartbeatAt!: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** One encounter of the file, as validated: what the preview shows and what commit creates. */
@Entity('encounter_import_rows')
export class EncounterImportRowEntity {
  @PrimaryColumn('uuid', { name: 'import_id' })
  importId!: string;

  /** Order in the file, from 0. */
  @PrimaryColumn('integer')
  position!: number;

  /** The row (CSV) or encounter position (FHIR) people see. */
  @Column('integer')
  row!: number;

  @Column('text', { name: 'source_system', nullable: true })
  sourceSystem!: string | null;

  @Column('text', { name: 'source_id', nullable: true })
  sourceId!: string | null;

  @Column('text', { name: 'patient_name', nullable: true })
  patientName!: string | null;

  @Column('text', { nullable: true })
  mrn!: string | null;

  @Column('text', { name: 'date_of_service', nullable: true })
  dateOfService!: string | null;

  @Column('text', { name: 'provider_name', nullable: true })
  providerName!: string | null;

  @Column('text', { array: true, default: () => "'{}'::text[]" })
  diagnoses!: string[];

  @Column('text')
  action!: IntakeRowAction;

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  errors!: IntakeRowError[];

  /** The validated chart to create; cleared once the row is committed. */
  @Column('jsonb', { nullable: true })
  input!: CreateEncounter | null;

  @Column('uuid', { name: 'encounter_id', nullable: true })
  encounterId!: string | null;

  @Column('boolean', { default: false })
  committed!: boolean;
}
