import type { ImportOptions, ImportSummary } from '@countersign/shared';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { REPO_ROOT } from '../../src/config/config.js';
import { CatalogImporter } from '../../src/catalog/import/catalog-importer.js';

/** The public reference data beside the project (never copied into it); CODESETS_DIR overrides. */
export const CODESETS_DIR = process.env.CODESETS_DIR ?? join(REPO_ROOT, '..', 'shared', 'data');

export const codeSetFile = (name: string): string => {
  const path = join(CODESETS_DIR, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: set CODESETS_DIR to the folder of the reference data`);
  return path;
};

/** Every reference file, how it is imported and how many data rows it holds. */
export const REFERENCE_FILES: ReadonlyArray<{ file: string; kind: string; rows: number; options?: ImportOptions }> = [
  { file: 'icd10cm-2026.tsv.gz', kind: 'icd10cm-tsv', rows: 74_719 },
  { file: 'icd10cm-2026-headers.tsv', kind: 'icd10cm-headers-tsv', rows: 23_467 },
  { file: 'hcpcs-2026.tsv', kind: 'hcpcs-tsv', rows: 8_623 },
  // P1-P6 are listed by CPT and by HCPCS; the first listing stands.
  { file: 'modifiers.tsv', kind: 'modifiers-tsv', rows: 426, options: { edition: '2026', effectiveDate: '2025-01-01' } },
  { file: 'ncci-ptp-practitioner-2024q3.tsv.gz', kind: 'ptp-tsv', rows: 1_669_820 },
  { file: 'mue-practitioner-2024q3.tsv', kind: 'mue-tsv', rows: 14_677 },
  { file: 'ncci-aoc-2024q3.tsv', kind: 'aoc-tsv', rows: 7_465 },
  { file: 'addon-codes.tsv', kind: 'addon-list-tsv', rows: 702, options: { edition: '2025' } },
  { file: 'mpfs-rvu-2025.tsv', kind: 'rvu-tsv', rows: 19_090 },
  { file: 'mpfs-conversion-factors.tsv', kind: 'conversion-factors-tsv', rows: 3, options: { edition: '2026' } },
];

/** Imports every reference file (a second call finds them unchanged and is quick). */
export async function importReferenceData(dataSource: DataSource): Promise<ImportSummary[]> {
  const importer = new CatalogImporter(dataSource);
  const summaries: ImportSummary[] = [];
  for (const entry of REFERENCE_FILES) summaries.push(await importer.importFile(codeSetFile(entry.file), entry.options ?? {}));
  return summaries;
}

/**
 * Removes every imported row, so the test files that run after this one (in the same database)
 * start servers that do not load 1.67 million PTP pairs they never use.
 */
export async function clearReferenceData(dataSource: DataSource): Promise<void> {
  await dataSource.query(`TRUNCATE ncci_ptp_edits, ncci_mue_values, ncci_addon_edits, addon_codes, mpfs_rvus, mpfs_conversion_factors, clfs_rates, catalog_editions, catalog_imports`);
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
