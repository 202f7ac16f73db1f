import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One read of a chart: who, which chart, when and how; no patient data. Append-only. */
@Entity('chart_reads')
export class ChartReadEntity {
  /** bigint: node-postgres hands it over as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { name: 'user_name' })
  userName!: string;

  @Column('text')
  via!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;
}
