import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import type { ImportErrorDetail, ImportKind, ImportOptions, ImportSummary } from '@countersign/shared';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { CLFS_FORMAT } from './clfs-format.js';
import { CODE_SET_FORMATS } from './code-set-formats.js';
import { EDIT_DATA_FORMATS } from './edit-data-formats.js';
import { ImportLineError, dataset, defaultEffectiveDate, type Cell, type ImportFormat, type ImportTarget } from './import-format.js';

export const IMPORT_FORMATS: readonly ImportFormat[] = [...CODE_SET_FORMATS, ...EDIT_DATA_FORMATS, CLFS_FORMAT];

/** Imports wait for each other: one advisory lock for all of them. */
const IMPORT_LOCK = 7_239_002;

/** Kinds that list a whole code set, so a code missing from a newer edition has ended. */
const COMPLETE_CODE_SETS: Partial<Record<ImportKind, string>> = {
  'icd10cm-order': "o.system = 'ICD10CM'",
  'icd10cm-tsv': "o.system = 'ICD10CM' AND o.billable",
  'icd10cm-headers-tsv': "o.system = 'ICD10CM' AND NOT o.billable",
  'hcpcs-tsv': "o.system = 'HCPCS'",
  'hcpcs-anweb': "o.system IN ('HCPCS', 'MODIFIER')",
  'modifiers-tsv': "o.system = 'MODIFIER'",
  'cpt-licensed': "o.system = 'CPT'",
};

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'applying' | 'done';
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number;
}

export type ImportOutcome =
  | { id: string; status: 'succeeded' | 'unchanged'; summary: ImportSummary }
  | { id: string; status: 'failed'; error: ImportErrorDetail };

interface Plan {
  id: string;
  format: ImportFormat;
  edition: string;
  effectiveDate: string;
  fileName: string;
  sha256: string;
  bytesTotal: number;
}

/**
 * Loads one file into the catalogue or the edit tables in one transaction: the rows are
 * parsed and checked in Node and streamed with COPY into a temporary table, then merged into
 * the target (added, changed, removed) by SQL. The same kind, edition and content a second
 * time changes nothing; a bad line rolls everything back and names the line and the reason.
 * Every attempt is one row of catalog_imports, which is what the admin screen polls.
 */
export class CatalogImporter {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the import row and starts; `done` settles with the outcome (it never rejects). */
  async start(
    path: string,
    options: ImportOptions,
    startedBy: string | null,
    onProgress: (progress: ImportProgress) => void = () => {},
  ): Promise<{ id: string; done: Promise<ImportOutcome> }> {
    const fileName = options.fileName ?? basename(path);
    const bytesTotal = statSync(path).size;
    const sha256 = await fileSha256(path);
    const planned = await this.plan(path, fileName, options).catch((error: unknown) => error as Error);
    const [row] = (await this.dataSource.query(
      `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, bytes_total, started_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8) RETURNING id`,
      planned instanceof Error
        ? [options.kind ?? 'unknown', options.kind ? dataset(options.kind) : 'unknown', options.edition ?? 'unknown', options.effectiveDate ?? '1970-01-01', fileName, sha256, bytesTotal, startedBy]
        : [planned.format.kind, dataset(planned.format.kind), planned.edition, planned.effectiveDate, fileName, sha256, bytesTotal, startedBy],
    )) as Array<{ id: string }>;
    const id = String(row!.id);
    if (planned instanceof Error) return { id, done: this.fail(id, planned) };
    const plan: Plan = { id, sha256, bytesTotal, fileName, ...planned };
    return { id, done: this.run(path, plan, onProgress).catch((error: unknown) => this.fail(id, error)) };
  }

  /** Imports and waits: the summary, or an ImportLineError naming the line and why. */
  async importFile(path: string, options: ImportOptions = {}, onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const { done } = await this.start(path, options, null, onProgress);
    const outcome = await done;
    if (outcome.status === 'failed') throw new ImportLineError(outcome.error.line, outcome.error.reason);
    return outcome.summary;
  }

  private async plan(path: string, fileName: string, options: ImportOptions): Promise<Omit<Plan, 'id' | 'sha256' | 'bytesTotal' | 'fileName'>> {
    const first = await firstLine(path);
    const format = options.kind
      ? IMPORT_FORMATS.find((f) => f.kind === options.kind)!
      : (IMPORT_FORMATS.find((f) => f.detect(fileName, first)) ??
        IMPORT_FORMATS.find((f) => f.fileNamePattern?.test(fileName) && first.includes('\t')));
    if (!format) throw new ImportLineError(1, `cannot tell what kind of file ${fileName} is; name it with --kind (${IMPORT_FORMATS.map((f) => f.kind).join(', ')})`);
    const edition = options.edition ?? format.editionFromFileName?.(fileName) ?? null;
    if (!edition) throw new ImportLineError(null, `no edition in the file name ${fileName}; give one (for example --edition 2026 or 2024Q3)`);
    const effectiveDate = options.effectiveDate ?? defaultEffectiveDate(format.kind, edition);
    if (!effectiveDate) throw new ImportLineError(null, `give the date edition ${edition} takes effect (--effective YYYY-MM-DD)`);
    return { format, edition, effectiveDate };
  }

  private async run(path: string, plan: Plan, onProgress: (progress: ImportProgress) => void): Promise<ImportOutcome> {
    const started = Date.now();
    const progress: ImportProgress = { phase: 'reading', rowsRead: 0, bytesRead: 0, bytesTotal: plan.bytesTotal };
    let lastReport = 0;
    let lastSaved = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (force || now - lastReport >= 200) {
        lastReport = now;
        onProgress({ ...progress });
      }
      if (progress.phase !== 'done' && (force || now - lastSaved >= 1000)) {
        lastSaved = now;
        void this.dataSource
          .query('UPDATE catalog_imports SET phase = $2, rows_read = $3, bytes_read = $4 WHERE id = $1 AND status = $5', [plan.id, progress.phase, progress.rowsRead, progress.bytesRead, 'running'])
          .catch(() => undefined);
      }
    };

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const previous = await this.previousSummary(runner, plan);
      if (previous) {
        await runner.rollbackTransaction();
        const summary: ImportSummary = { ...previous, fileName: plan.fileName, added: 0, changed: 0, removed: 0, ended: 0, unchanged: true, durationMs: Date.now() - started };
        await this.finish(this.dataSource, plan.id, 'unchanged', summary);
        progress.phase = 'done';
        report(true);
        return { id: plan.id, status: 'unchanged', summary };
      }
      const target = plan.format.target;
      await runner.query(`CREATE TEMP TABLE import_staging (LIKE ${target.table} INCLUDING DEFAULTS) ON COMMIT DROP`);
      const rows = await this.copyRows(runner, path, plan, progress, report);
      progress.phase = 'checking';
      report(true);
      await runner.query('ANALYZE import_staging');
      await assertNoDuplicates(runner, target);
      progress.phase = 'applying';
      report(true);
      const counts = await merge(runner, target, plan);
      const ended = await endSuperseded(runner, plan);
      await runner.query(
        `INSERT INTO catalog_editions (kind, edition, dataset, effective_date, file_name, import_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, edition) DO UPDATE SET dataset = EXCLUDED.dataset, effective_date = EXCLUDED.effective_date, import_id = EXCLUDED.import_id,
           file_name = CASE WHEN NOT $7 THEN EXCLUDED.file_name
                            WHEN EXCLUDED.file_name = ANY(string_to_array(catalog_editions.file_name, ', ')) THEN catalog_editions.file_name
                            ELSE catalog_editions.file_name || ', ' || EXCLUDED.file_name END`,
        [plan.format.kind, plan.edition, dataset(plan.format.kind), plan.effectiveDate, plan.fileName, plan.id, Boolean(target.partitionColumn)],
      );
      const summary: ImportSummary = {
        kind: plan.format.kind,
        dataset: dataset(plan.format.kind),
        edition: plan.edition,
        effectiveDate: plan.effectiveDate,
        fileName: plan.fileName,
        sha256: plan.sha256,
        rows,
        ...counts,
        ended,
        unchanged: false,
        durationMs: Date.now() - started,
      };
      await this.finish(runner.manager, plan.id, 'succeeded', summary, progress);
      await runner.commitTransaction();
      progress.phase = 'done';
      report(true);
      return { id: plan.id, status: 'succeeded', summary };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * The summary of the last successful import of this kind and edition when it had the same
   * content: then this import has nothing to do. (An older import of the same content does not
   * count: a different file of the same edition may have replaced it since.)
   */
  private async previousSummary(runner: QueryRunner, plan: Plan): Promise<ImportSummary | null> {
    const rows: Array<{ sha256: string; summary: ImportSummary }> = await runner.query(
      `SELECT sha256, summary FROM catalog_imports WHERE kind = $1 AND edition = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1`,
      [plan.format.kind, plan.edition],
    );
    return rows[0]?.sha256 === plan.sha256 ? rows[0].summary : null;
  }

  /** Parses every line and streams the rows into import_staging with COPY. */
  private async copyRows(runner: QueryRunner, path: string, plan: Plan, progress: ImportProgress, report: () => void): Promise<number> {
    const client = (await runner.connect()) as pg.PoolClient;
    const target = plan.format.target;
    const copy = client.query(copyFrom(`COPY import_staging (${target.columns.join(', ')}) FROM STDIN`));
    const parser = plan.format.createParser({ kind: plan.format.kind, edition: plan.edition, effectiveDate: plan.effectiveDate });
    const raw = createReadStream(path);
    const counted = raw.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          progress.bytesRead += chunk.length;
          callback(null, chunk);
        },
      }),
    );
    const gz = await isGzip(path);
    const text = gz ? counted.pipe(createGunzip()) : counted;
    const lines = createInterface({ input: text, crlfDelay: Infinity });
    let lineNo = 0;
    let rows = 0;
    let buffer = '';
    const write = async (out: Cell[][]) => {
      for (const row of out) buffer += `${row.map(copyValue).join('\t')}\n`;
      rows += out.length;
      progress.rowsRead = rows;
      if (buffer.length >= 1 << 16) {
        const chunk = buffer;
        buffer = '';
        if (!copy.write(chunk)) await once(copy, 'drain');
        report();
      }
    };
    try {
      for await (const line of lines) {
        lineNo += 1;
        await write(parser.line(lineNo === 1 ? line.replace(/^\uFEFF/, '') : line, lineNo));
      }
      await write(parser.end(lineNo));
      if (buffer) copy.write(buffer);
      copy.end();
      await finished(copy);
    } catch (error) {
      copy.destroy(error instanceof Error ? error : new Error(String(error)));
      await finished(copy).catch(() => undefined);
      if (error instanceof ImportLineError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (/unexpected end of file/i.test(reason)) throw new ImportLineError(lineNo + 1, 'the compressed file ends in the middle (truncated)');
      throw error;
    } finally {
      raw.destroy();
    }
    return rows;
  }

  private async finish(
    manager: Pick<DataSource, 'query'>,
    id: string,
    status: 'succeeded' | 'unchanged',
    summary: ImportSummary,
    progress?: ImportProgress,
  ): Promise<void> {
    await manager.query(
      `UPDATE catalog_imports SET status = $2, phase = 'done', summary = $3, rows_read = COALESCE($4, rows_read), bytes_read = bytes_total, finished_at = now() WHERE id = $1`,
      [id, status, JSON.stringify(summary), progress?.rowsRead ?? null],
    );
  }

  private async fail(id: string, error: unknown): Promise<ImportOutcome> {
    const detail: ImportErrorDetail =
      error instanceof ImportLineError
        ? { line: error.line, reason: error.reason }
        : { line: null, reason: error instanceof Error ? error.message : String(error) };
    await this.dataSource.query(`UPDATE catalog_imports SET status = 'failed', phase = 'done', error = $2, finished_at = now() WHERE id = $1`, [id, JSON.stringify(detail)]);
    return { id, status: 'failed', error: detail };
  }
}

/** COPY text format: backslash escapes, `\N` for null. */
function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** A key that appears twice in one file is an error at its second line. */
async function assertNoDuplicates(runner: QueryRunner, target: ImportTarget): Promise<void> {
  const key = target.key.join(', ');
  const rows: Array<{ first: number; second: number; key: string }> = await runner.query(
    `SELECT min(source_row) AS first, (array_agg(source_row ORDER BY source_row))[2] AS second, concat_ws(' / ', ${key}) AS key
       FROM import_staging GROUP BY ${key} HAVING count(*) > 1 ORDER BY 2 LIMIT 1`,
  );
  const dup = rows[0];
  if (dup) throw new ImportLineError(Number(dup.second), `${dup.key} repeats line ${dup.first}`);
}

/** Merges import_staging into the target: changed rows updated, missing rows removed, new rows added. */
async function merge(runner: QueryRunner, target: ImportTarget, plan: Plan): Promise<{ added: number; changed: number; removed: number }> {
  const { table, columns, key } = target;
  const values = columns.filter((c) => !key.includes(c) && c !== 'source_row');
  const on = key.map((k) => `t.${k} = s.${k}`).join(' AND ');
  const partition = target.partitionColumn ? ` AND t.${target.partitionColumn} IN (SELECT DISTINCT ${target.partitionColumn} FROM import_staging)` : '';
  const scope = (target.scopedByKind ? 't.edition = $1 AND t.import_kind = $2' : 't.edition = $1') + partition;
  const scopeParams = target.scopedByKind ? [plan.edition, plan.format.kind] : [plan.edition];
  const [{ any }] = (await runner.query(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE edition = $1) AS any`, [plan.edition])) as Array<{ any: boolean }>;
  if (!any) {
    const inserted = await runner.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM import_staging`, [], true);
    return { added: inserted.affected ?? 0, changed: 0, removed: 0 };
  }
  const distinct = `(${values.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `s.${c}`).join(', ')})`;
  const [{ n: changed }] = (await runner.query(`SELECT count(*)::int AS n FROM ${table} t JOIN import_staging s ON ${on} WHERE ${distinct}`)) as Array<{ n: number }>;
  await runner.query(
    `UPDATE ${table} t SET ${[...values, 'source_row'].map((c) => `${c} = s.${c}`).join(', ')}
       FROM import_staging s WHERE ${on} AND (${distinct} OR t.source_row IS DISTINCT FROM s.source_row)`,
  );
  const removed = await runner.query(`DELETE FROM ${table} t WHERE ${scope} AND NOT EXISTS (SELECT 1 FROM import_staging s WHERE ${on})`, scopeParams, true);
  const added = await runner.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM import_staging s
      WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${on})`,
    [],
    true,
  );
  return { added: added.affected ?? 0, changed, removed: removed.affected ?? 0 };
}

/**
 * A complete code set ends every code of an older edition that it no longer lists: the day
 * before it takes effect, unless that code already ended.
 */
async function endSuperseded(runner: QueryRunner, plan: Plan): Promise<number> {
  const filter = COMPLETE_CODE_SETS[plan.format.kind];
  if (!filter) return 0;
  const result = await runner.query(
    `UPDATE catalog_codes o SET termination_date = ($2::date - 1)
      WHERE ${filter} AND o.edition <> $1 AND o.effective_date < $2::date AND o.termination_date IS NULL
        AND NOT EXISTS (SELECT 1 FROM catalog_codes n WHERE n.system = o.system AND n.code = o.code AND n.edition = $1)`,
    [plan.edition, plan.effectiveDate],
    true,
  );
  return result.affected ?? 0;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The first non-empty line, for recognising the format (decompressed when gzipped). */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 16), 0, 1 << 16, 0);
    let head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: 2 });
      } catch {
        return '';
      }
    }
    return (
      head
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .find((l) => l.trim() !== '') ?? ''
    );
  } finally {
    await handle.close();
  }
}
