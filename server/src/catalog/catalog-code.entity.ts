import type { CodeSystem } from '@countersign/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One code of one edition of a code system. */
@Entity('catalog_codes')
export class CatalogCodeEntity {
  @PrimaryColumn('text')
  system!: CodeSystem;

  @PrimaryColumn('text')
  code!: string;

  @PrimaryColumn('text')
  edition!: string;

  @Column('date', { name: 'effective_date' })
  effectiveDate!: string;

  @Column('date', { name: 'termination_date', nullable: true })
  terminationDate!: string | null;

  @Column('text', { name: 'short_description' })
  shortDescription!: string;

  @Column('text', { name: 'long_description' })
  longDescription!: string;

  @Column('boolean', { default: true })
  billable!: boolean;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  attributes!: Record<string, unknown>;

  /** The import kind that brought the row (`demo` for the seeded demo catalogue). */
  @Column('text', { name: 'import_kind', default: 'demo' })
  importKind!: string;

  /** Line of the imported file, cited by findings; null for seeded rows. */
  @Column('integer', { name: 'source_row', nullable: true })
  sourceRow!: number | null;
}
