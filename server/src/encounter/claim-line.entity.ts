import type { DiagnosisLetter } from '@countersign/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One claim line; `position` orders the lines of an encounter. */
@Entity('claim_lines')
export class ClaimLineEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @Column('integer')
  position!: number;

  @Column('text')
  code!: string;

  @Column('text', { array: true })
  modifiers!: string[];

  @Column('integer')
  units!: number;

  @Column('text', { array: true })
  pointers!: DiagnosisLetter[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
