import type { ImportSummary } from '@countersign/shared';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { CatalogImporter } from '../../src/catalog/import/catalog-importer.js';
import {
  CODESETS_DIR,
  PUBLIC_CODE_SET_FILES,
  publicCodeSetPath,
} from '../../src/catalog/public-code-sets.js';

/** The public code sets shipped in the repository's codesets/ folder (CODESETS_DIR overrides). */
export { CODESETS_DIR };

export const codeSetFile = (name: string): string => publicCodeSetPath(name);

/** The decompressed content of a shipped file (`mue-practitioner-2024q3.tsv.gz`). */
export const readCodeSet = (name: string): Buffer =>
  gunzipSync(readFileSync(publicCodeSetPath(name)));

/** Every shipped file, how it is imported and how many data rows it holds. */
export const REFERENCE_FILES = PUBLIC_CODE_SET_FILES;

/** Imports every reference file (a second call finds them unchanged and is quick). */
export async function importReferenceData(dataSource: DataSource): Promise<ImportSummary[]> {
  const importer = new CatalogImporter(dataSource);
  const summaries: ImportSummary[] = [];
  for (const entry of REFERENCE_FILES)
    summaries.push(await importer.importFile(codeSetFile(entry.file), entry.options ?? {}));
  return summaries;
}

/**
 * Removes every imported row, so the test files that run after this one (in the same database)
 * start servers that do not load 1.67 million PTP pairs they never use.
 */
export async function clearReferenceData(dataSource: DataSource): Promise<void> {
  const kept: Array<{ name: string }> = await dataSource.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'catalog_work' AND tablename ~ '^catalog_import_(staging|undo)_[0-9]+$'`,
  );
  for (const { name } of kept) await dataSource.query(`DROP TABLE catalog_work."${name}"`);
  await dataSource.query(
    `TRUNCATE ncci_ptp_edits, ncci_mue_values, ncci_addon_edits, addon_codes, mpfs_rvus, mpfs_conversion_factors, clfs_rates, catalog_editions, catalog_import_ended, catalog_imports`,
  );
  await dataSource.query(`DELETE FROM catalog_codes WHERE import_kind <> 'demo'`);
}

/** A small, deterministic random number generator, so a failing sample can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
