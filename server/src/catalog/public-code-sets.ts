import type { ImportKind, ImportOptions, ImportSummary } from '@countersign/shared';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { REPO_ROOT } from '../config/config.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogImporter, fileSha256, type ImportProgress } from './import/catalog-importer.js';

/** The public code sets shipped in the repository (see codesets/README.md); CODESETS_DIR overrides. */
export const CODESETS_DIR = process.env.CODESETS_DIR || join(REPO_ROOT, 'codesets');

/** One shipped file: how it is imported and how many data rows it holds. */
export interface PublicCodeSetFile {
  file: string;
  kind: ImportKind;
  rows: number;
  options?: ImportOptions;
}

/**
 * Every shipped file the importer loads, in load order (code sets, then edits and fees).
 * `cpt-sections.tsv.gz` and `ncci-ptp-rationales.tsv.gz` ship as reference only: the ranges and
 * the twelve rationales are part of the code.
 */
export const PUBLIC_CODE_SET_FILES: readonly PublicCodeSetFile[] = [
  { file: 'icd10cm-2026.tsv.gz', kind: 'icd10cm-tsv', rows: 74_719 },
  { file: 'icd10cm-2026-headers.tsv.gz', kind: 'icd10cm-headers-tsv', rows: 23_467 },
  { file: 'hcpcs-2026.tsv.gz', kind: 'hcpcs-tsv', rows: 8_623 },
  // P1-P6 are listed by CPT and by HCPCS; the first listing stands.
  {
    file: 'modifiers.tsv.gz',
    kind: 'modifiers-tsv',
    rows: 426,
    options: { edition: '2026', effectiveDate: '2025-01-01' },
  },
  { file: 'ncci-ptp-practitioner-2024q3.tsv.gz', kind: 'ptp-tsv', rows: 1_669_820 },
  { file: 'mue-practitioner-2024q3.tsv.gz', kind: 'mue-tsv', rows: 14_677 },
  { file: 'ncci-aoc-2024q3.tsv.gz', kind: 'aoc-tsv', rows: 7_465 },
  { file: 'addon-codes.tsv.gz', kind: 'addon-list-tsv', rows: 702, options: { edition: '2025' } },
  { file: 'mpfs-rvu-2025.tsv.gz', kind: 'rvu-tsv', rows: 19_090 },
  {
    file: 'mpfs-conversion-factors.tsv.gz',
    kind: 'conversion-factors-tsv',
    rows: 3,
    options: { edition: '2026' },
  },
];

export const publicCodeSetPath = (file: string, dir = CODESETS_DIR): string => {
  const path = join(dir, file);
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: the public code sets ship in codesets/ (CODESETS_DIR overrides)`,
    );
  return path;
};

export interface LoadLog {
  log(message: string): void;
}

/**
 * Loads every shipped file the database does not hold yet, through the importer the CLI and the
 * admin screen use, with a progress line per file (name, rows, percent; never patient data).
 * A file whose kind, edition and content were already imported is skipped without reading it
 * twice: the importer recognises the same edition and sha256 and reports it unchanged. Returns
 * the summaries of the files it imported (empty on a second start).
 */
export async function loadPublicCodeSets(
  dataSource: DataSource,
  logger: LoadLog,
  dir = CODESETS_DIR,
  files: readonly PublicCodeSetFile[] = PUBLIC_CODE_SET_FILES,
): Promise<ImportSummary[]> {
  const importer = new CatalogImporter(dataSource);
  const catalog = new CatalogRepository(dataSource);
  const started = Date.now();
  const imported: ImportSummary[] = [];
  let announced = false;
  for (const entry of files) {
    const path = publicCodeSetPath(entry.file, dir);
    // Already imported from a file with this content: that edition is in, nothing to read.
    if (await catalog.alreadyImported(entry.kind, await fileSha256(path))) continue;
    if (!announced) {
      logger.log(
        `Loading the public code sets shipped in ${dir} (first start; LOAD_PUBLIC_CODESETS=false turns this off)`,
      );
      announced = true;
    }
    const summary = await importer.importFile(
      path,
      { kind: entry.kind, ...entry.options },
      progressLine(logger, entry),
    );
    if (!summary.unchanged) imported.push(summary);
  }
  if (announced)
    logger.log(`Public code sets loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return imported;
}

/** One console line per tenth of a file, then one when it is checked and applied. */
function progressLine(
  logger: LoadLog,
  entry: PublicCodeSetFile,
): (progress: ImportProgress) => void {
  let last = -1;
  return (p) => {
    const percent =
      p.phase === 'reading'
        ? p.bytesTotal > 0
          ? Math.floor((p.bytesRead / p.bytesTotal) * 100)
          : 0
        : 100;
    const step =
      p.phase === 'reading'
        ? Math.floor(percent / 10)
        : 10 + ['checking', 'applying', 'done'].indexOf(p.phase);
    if (step <= last) return;
    last = step;
    const rows = `${p.rowsRead.toLocaleString('en-US')} of ${entry.rows.toLocaleString('en-US')} rows`;
    logger.log(
      `  ${entry.file}: ${String(percent).padStart(3)}% ${p.phase === 'reading' ? rows : `${p.phase}, ${rows}`}`,
    );
  };
}
