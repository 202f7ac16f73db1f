import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One loaded edition of a data set and the import that applied it. Written by the importer. */
@Entity('catalog_editions')
export class CatalogEditionEntity {
  @PrimaryColumn('text')
  kind!: string;

  @PrimaryColumn('text')
  edition!: string;

  @Column('text')
  dataset!: string;

  @Column('date', { name: 'effective_date' })
  effectiveDate!: string;

  @Column('text', { name: 'file_name' })
  fileName!: string;

  /** bigint: node-postgres hands it over as a string. */
  @Column('bigint', { name: 'import_id' })
  importId!: string;
}
