import type { ImportSummary } from '@countersign/shared';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { CatalogImporter } from '../catalog/import/catalog-importer.js';
import {
  PUBLIC_CODE_SET_FILES,
  publicCodeSetPath,
  type PublicCodeSetFile,
} from '../catalog/public-code-sets.js';

/** The decompressed content of a shipped file (`mue-practitioner-2024q3.tsv.gz`). */
export const readCodeSet = (name: string): Buffer =>
  gunzipSync(readFileSync(publicCodeSetPath(name)));

/**
 * Imports the given shipped files (all of them unless told) straight through the importer, as
 * the tests of the importer and the benchmarks need it; `onEach` hears each file's summary.
 * A second call finds them unchanged and is quick.
 */
export async function importReferenceData(
  dataSource: DataSource,
  files: readonly PublicCodeSetFile[] = PUBLIC_CODE_SET_FILES,
  onEach: (entry: PublicCodeSetFile, summary: ImportSummary) => void = () => undefined,
): Promise<ImportSummary[]> {
  const importer = new CatalogImporter(dataSource);
  const summaries: ImportSummary[] = [];
  for (const entry of files) {
    const summary = await importer.importFile(publicCodeSetPath(entry.file), entry.options ?? {});
    onEach(entry, summary);
    summaries.push(summary);
  }
  return summaries;
}
