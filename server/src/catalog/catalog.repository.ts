import { Inject, Injectable } from '@nestjs/common';
import type { CatalogImport, CodeSystem, ImportKind } from '@countersign/shared';
import { DataSource, In } from 'typeorm';
import { CatalogCodeEntity } from './catalog-code.entity.js';
import { CatalogEditionEntity } from './catalog-edition.entity.js';
import type { IndexedCode } from './catalog-search-index.js';

/** An import as the admin pages show it, with whether it can still be undone. */
export interface ImportRow {
  id: string;
  kind: string;
  dataset: string;
  edition: string;
  effective_date: string;
  file_name: string;
  status: CatalogImport['status'];
  phase: string;
  rows_read: number;
  bytes_read: string;
  bytes_total: string;
  summary: CatalogImport['summary'];
  error: CatalogImport['error'];
  preview: CatalogImport['preview'];
  expires_at: Date | null;
  restores_import_id: string | null;
  restored_by_import_id: string | null;
  restorable: boolean;
  started_at: Date;
  finished_at: Date | null;
}

const IMPORT_SELECT = `i.id::text, i.kind, i.dataset, i.edition, i.effective_date::text, i.file_name, i.status, i.phase, i.rows_read, i.bytes_read,
  i.bytes_total, i.summary, i.error, i.preview, i.expires_at, i.restores_import_id::text, i.restored_by_import_id::text, i.started_at, i.finished_at,
  (i.undo_table IS NOT NULL AND i.restored_by_import_id IS NULL AND i.id = (
     SELECT max(l.id) FROM catalog_imports l WHERE l.kind = i.kind AND l.edition = i.edition AND l.applied_at IS NOT NULL)) AS restorable`;

/**
 * The catalogue's SQL outside the importer: lookups (entity), the rows the search index is
 * built from, the generation number, and the import and edition lists of the admin pages.
 * Raw SQL where a query computes (the search index's demo filter, an import's `restorable`).
 * The importer's own statements (advisory locks, COPY, set-based diffs on staging tables) live
 * in `import/`.
 */
@Injectable()
export class CatalogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every edition of each of `codes`, by system and code, newest first. */
  codes(codes: readonly string[]): Promise<CatalogCodeEntity[]> {
    return this.dataSource.getRepository(CatalogCodeEntity).find({
      where: { code: In([...codes]) },
      order: { system: 'ASC', code: 'ASC', effectiveDate: 'DESC' },
    });
  }

  /** Inserts codes, or replaces the rows of the same system, code and edition (the demo seed). */
  async upsertCodes(
    rows: Array<Omit<CatalogCodeEntity, 'attributes'> & { attributes: Record<string, string> }>,
  ): Promise<void> {
    await this.dataSource
      .getRepository(CatalogCodeEntity)
      .upsert(rows, ['system', 'code', 'edition']);
  }

  /** The id of the last successful import, 0 before any. */
  async lastSucceededImportId(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ value: number }>>(
      `SELECT coalesce(max(id), 0)::int AS value FROM catalog_imports WHERE status = 'succeeded'`,
    );
    return row?.value ?? 0;
  }

  /** The codes the typeahead indexes: imported ones, and demo ones no imported file lists. */
  searchRows(): Promise<Array<IndexedCode & { system: CodeSystem }>> {
    return this.dataSource.query<Array<IndexedCode & { system: CodeSystem }>>(
      `SELECT system, code, edition, effective_date::text AS "effectiveDate", termination_date::text AS "terminationDate",
              short_description AS "shortDescription", long_description AS "longDescription", billable
         FROM catalog_codes c
        WHERE c.import_kind <> 'demo'
           OR NOT EXISTS (SELECT 1 FROM catalog_codes p WHERE p.system = c.system AND p.code = c.code AND p.import_kind <> 'demo')`,
    );
  }

  /** True when this kind was already imported from a file with this content. */
  async alreadyImported(kind: ImportKind, sha256: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM catalog_imports WHERE kind = $1 AND sha256 = $2 AND status IN ('succeeded', 'unchanged') LIMIT 1`,
      [kind, sha256],
    );
    return rows.length > 0;
  }

  async importById(id: string): Promise<ImportRow | null> {
    const [row] = await this.dataSource.query<ImportRow[]>(
      `SELECT ${IMPORT_SELECT} FROM catalog_imports i WHERE i.id = $1`,
      [id],
    );
    return row ?? null;
  }

  latestImports(limit: number): Promise<ImportRow[]> {
    return this.dataSource.query<ImportRow[]>(
      `SELECT ${IMPORT_SELECT} FROM catalog_imports i ORDER BY i.id DESC LIMIT $1`,
      [limit],
    );
  }

  /** Loaded editions, newest first within each data set. */
  editions(): Promise<CatalogEditionEntity[]> {
    return this.dataSource.getRepository(CatalogEditionEntity).find({
      order: { dataset: 'ASC', effectiveDate: 'DESC', kind: 'ASC' },
    });
  }
}
