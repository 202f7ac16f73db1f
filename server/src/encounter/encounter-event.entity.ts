import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row of the append-only encounter event log. */
@Entity('encounter_events')
export class EncounterEventEntity {
  @PrimaryColumn('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @PrimaryColumn('integer')
  seq!: number;

  @Column('text')
  type!: string;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  /** Kept with the event so history reads the same after a user is renamed or removed. */
  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('jsonb')
  payload!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
