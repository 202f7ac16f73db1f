import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import type {
  ImportErrorDetail,
  ImportKind,
  ImportOptions,
  ImportPreview,
  ImportSummary,
} from '@countersign/shared';
import type { DataSource, QueryRunner } from 'typeorm';
import { DomainError } from '../../errors/domain-error.js';
import { CLFS_FORMAT } from './clfs-format.js';
import { CODE_SET_FORMATS } from './code-set-formats.js';
import { EDIT_DATA_FORMATS } from './edit-data-formats.js';
import {
  IMPORT_WORK_SCHEMA,
  analyzeStaging,
  assertNoDuplicates,
  copyInto,
  createStaging,
  createStagingFrom,
  deleteEdition,
  dropTable,
  dropTableIfExists,
  editionRow,
  endSuperseded,
  failInterrupted,
  forgetUndoTables,
  importRunner,
  importStatus,
  insertPreviewImport,
  insertRestoreImport,
  lastAppliedId,
  lastSucceeded,
  lastUndoableImport,
  lockImportRow,
  lockImports,
  lockRun,
  markDropped,
  markFailed,
  markPreview,
  markRestored,
  markSucceeded,
  markUnchanged,
  merge,
  olderUndoTables,
  orphanStagingTables,
  previewDiff,
  previewsDue,
  putEdition,
  releaseImportRunner,
  reopenEnded,
  runningImports,
  saveProgress,
  snapshot,
  tryLockRun,
  undoneImport,
  unlockRun,
  type DiffScope,
  type ImportRow,
} from './import.repository.js';
import {
  ImportLineError,
  dataset,
  defaultEffectiveDate,
  type Cell,
  type ImportFormat,
} from './import-format.js';
import { DEFAULT_READ_LIMITS, readLines, type ReadLimits } from './line-reader.js';

export { IMPORT_WORK_SCHEMA };

/** Every format an import recognises; a new kind adds its format here. */
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  ...CODE_SET_FORMATS,
  ...EDIT_DATA_FORMATS,
  CLFS_FORMAT,
];

/** How long a preview waits for its confirmation. */
export const PREVIEW_TTL_MS = 30 * 60 * 1000;

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'applying' | 'done';
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number;
}

export type ImportOutcome =
  | { id: string; status: 'preview'; preview: ImportPreview }
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

/** An import's staging table, unqualified (as pg_tables names it). */
export const stagingTableName = (id: string) => `catalog_import_staging_${assertId(id)}`;
export const stagingTable = (id: string) => `${IMPORT_WORK_SCHEMA}.${stagingTableName(id)}`;
const undoTable = (id: string) => `${IMPORT_WORK_SCHEMA}.catalog_import_undo_${assertId(id)}`;
function assertId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw DomainError.notFound('The import');
  return id;
}

/**
 * Loads one file into the catalogue or the edit tables in two steps. The preview reads the file
 * (every line checked: format, ranges, NUL bytes, line length, what a gzip expands to, a cut
 * last line), streams the rows with COPY into a staging table of its own, and counts what it
 * would add, change, remove and end. Nothing changes until `apply`, one transaction that first
 * checks nothing was applied since the preview was counted (else the preview is stale and must
 * be made again), keeps the rows it replaces so that `restore` can put them back, merges, and
 * drops the staging table. Every attempt is one row of catalog_imports, which the admin screen
 * polls; a preview not confirmed expires, and `recover` fails the imports of a dead process.
 */
export class CatalogImporter {
  private readonly limits: ReadLimits;
  private readonly previewTtlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    options: { limits?: ReadLimits; previewTtlMs?: number } = {},
  ) {
    this.limits = options.limits ?? DEFAULT_READ_LIMITS;
    this.previewTtlMs = options.previewTtlMs ?? PREVIEW_TTL_MS;
  }

  /**
   * Creates the import row and reads the file into a preview; `done` settles with the preview,
   * `unchanged` or the failure (it never rejects). `uploadPath` is a temporary file that
   * `recover` deletes if this process dies before its caller does.
   */
  async startPreview(
    path: string,
    options: ImportOptions,
    startedBy: string | null,
    onProgress: (progress: ImportProgress) => void = () => {},
    uploadPath: string | null = null,
  ): Promise<{ id: string; done: Promise<ImportOutcome> }> {
    const fileName = options.fileName ?? basename(path);
    const bytesTotal = statSync(path).size;
    const sha256 = await fileSha256(path);
    const planned = await this.plan(path, fileName, options).catch(
      (error: unknown) => error as Error,
    );
    const known = planned instanceof Error ? null : planned;
    const id = await insertPreviewImport(this.dataSource.manager, {
      kind: known?.format.kind ?? options.kind ?? 'unknown',
      dataset: known
        ? dataset(known.format.kind)
        : options.kind
          ? dataset(options.kind)
          : 'unknown',
      edition: known?.edition ?? options.edition ?? 'unknown',
      effectiveDate: known?.effectiveDate ?? '1970-01-01',
      fileName,
      sha256,
      bytesTotal,
      startedBy,
      uploadPath,
    });
    if (!known) return { id, done: this.fail(id, planned) };
    const plan: Plan = { id, sha256, bytesTotal, fileName, ...known };
    return {
      id,
      done: this.readPreview(path, plan, onProgress).catch((error: unknown) =>
        this.fail(id, error),
      ),
    };
  }

  /** Reads the file and waits for its preview; a bad file throws the ImportLineError naming the line. */
  async preview(
    path: string,
    options: ImportOptions = {},
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportOutcome & { status: 'preview' | 'unchanged' | 'succeeded' }> {
    const { done } = await this.startPreview(path, options, null, onProgress);
    const outcome = await done;
    if (outcome.status === 'failed')
      throw new ImportLineError(outcome.error.line, outcome.error.reason);
    return outcome;
  }

  /** Preview and apply in one call, for files the caller trusts (first-start loads, tests, benchmarks). */
  async importFile(
    path: string,
    options: ImportOptions = {},
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportSummary> {
    const outcome = await this.preview(path, options, onProgress);
    return outcome.status === 'preview' ? this.apply(outcome.id) : outcome.summary;
  }

  /**
   * Starts a restore: a new import whose rows are those the last applied import of this kind
   * and edition replaced, and which reopens the codes it ended. It stops at its preview.
   */
  async startRestore(
    kind: ImportKind,
    edition: string,
    startedBy: string | null,
  ): Promise<{ id: string; done: Promise<ImportOutcome> }> {
    const last = await lastUndoableImport(this.dataSource.manager, kind, edition);
    if (!last) throw new DomainError('not_found', `No import of ${kind} ${edition} to undo`);
    if (last.restored_by)
      throw new DomainError(
        'invalid_state',
        `Import #${last.id} of ${kind} ${edition} was already undone by import #${last.restored_by}`,
      );
    if (!last.undo_table)
      throw new DomainError(
        'invalid_state',
        `Import #${last.id} of ${kind} ${edition} kept no copy of what it replaced`,
      );
    const format = IMPORT_FORMATS.find((f) => f.kind === kind)!;
    const undoFrom = last.undo_table;
    const id = await insertRestoreImport(this.dataSource.manager, {
      kind,
      edition,
      effectiveDate: last.previous_edition?.effective_date ?? last.effective_date,
      fileName: `restore before #${last.id} (${last.file_name})`,
      sha256: `restore:${last.id}`,
      startedBy,
      restoresImportId: last.id,
    });
    const done = (async (): Promise<ImportOutcome> => {
      const runner = await importRunner(this.dataSource);
      await lockRun(runner, id);
      try {
        await createStagingFrom(runner, stagingTable(id), undoFrom);
        const scope: DiffScope = {
          target: format.target,
          staging: stagingTable(id),
          kind,
          edition,
          effectiveDate: last.effective_date,
          byPartition: false,
        };
        return await this.countPreview(runner, id, scope, last.id);
      } catch (error) {
        await dropTableIfExists(runner, stagingTable(id)).catch(() => undefined);
        throw error;
      } finally {
        await unlockRun(runner, id).catch(() => undefined);
        await releaseImportRunner(runner);
      }
    })().catch((error: unknown) => this.fail(id, error));
    return { id, done };
  }

  /**
   * Applies a preview in one transaction. Refused when it is not a waiting preview, when it has
   * expired, or when another import was applied since it was counted (then it is stale: its
   * staging is dropped and the file must be previewed again).
   */
  async apply(id: string): Promise<ImportSummary> {
    const started = Date.now();
    const runner = await importRunner(this.dataSource);
    let stale: DomainError | null = null;
    try {
      await runner.startTransaction();
      await lockImports(runner);
      const row = await this.lockRow(runner, id);
      if (row.status !== 'preview')
        throw new DomainError(
          'invalid_state',
          `Import #${id} is ${row.status}, not waiting for confirmation`,
        );
      if (row.expired)
        stale = new DomainError(
          'invalid_state',
          `The preview of import #${id} expired; import the file again`,
        );
      else if ((await lastAppliedId(runner)) !== row.base_applied_id) {
        stale = new DomainError(
          'conflict',
          `Another import was applied since import #${id} was previewed; import the file again for a new preview`,
        );
      }
      if (stale) {
        await runner.rollbackTransaction();
        await this.drop(id, 'expired', { line: null, reason: stale.message });
        throw stale;
      }
      const format = IMPORT_FORMATS.find((f) => f.kind === row.kind)!;
      const restoring = row.restores_import_id;
      const scope: DiffScope = {
        target: format.target,
        staging: stagingTable(id),
        kind: row.kind,
        edition: row.edition,
        effectiveDate: row.effective_date,
        byPartition: !restoring,
      };
      const previousEdition = await editionRow(runner, row.kind, row.edition);
      if (!restoring) await snapshot(runner, scope, undoTable(id));
      const counts = await merge(runner, scope);
      let ended = 0;
      let reopened = 0;
      if (restoring) {
        reopened = await reopenEnded(runner, restoring);
        const undone = await undoneImport(runner, restoring);
        const before = undone?.previous_edition;
        if (before)
          await putEdition(
            runner,
            before.kind!,
            before.edition!,
            before.effective_date!,
            before.file_name!,
            before.import_id!,
            false,
          );
        else await deleteEdition(runner, row.kind, row.edition);
        if (undone?.undo_table) await dropTableIfExists(runner, undone.undo_table);
        await markRestored(runner, restoring, id);
      } else {
        ended = await endSuperseded(runner, scope, id);
        await putEdition(
          runner,
          row.kind,
          row.edition,
          row.effective_date,
          row.file_name,
          id,
          Boolean(format.target.partitionColumn),
        );
        // Only the last import of a kind and edition can be undone: older copies go.
        const older = await olderUndoTables(runner, row.kind, row.edition, id);
        for (const o of older) await dropTableIfExists(runner, o.undo_table);
        if (older.length)
          await forgetUndoTables(
            runner,
            older.map((o) => o.id),
          );
      }
      const summary: ImportSummary = {
        kind: row.kind,
        dataset: dataset(row.kind),
        edition: row.edition,
        effectiveDate: row.effective_date,
        fileName: row.file_name,
        sha256: row.sha256,
        rows: row.preview?.rows ?? 0,
        ...counts,
        ended,
        ...(restoring ? { reopened } : {}),
        unchanged: false,
        durationMs: Date.now() - started,
      };
      await dropTable(runner, stagingTable(id));
      await markSucceeded(
        runner,
        id,
        summary,
        restoring ? null : undoTable(id),
        previousEdition ?? null,
      );
      await runner.commitTransaction();
      return summary;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await releaseImportRunner(runner);
    }
  }

  /** Drops a waiting preview; nothing was applied. */
  async cancel(id: string): Promise<void> {
    const row = await importStatus(this.dataSource.manager, assertId(id));
    if (!row) throw DomainError.notFound('The import');
    if (row.status !== 'preview')
      throw new DomainError(
        'invalid_state',
        `Import #${id} is ${row.status}, not waiting for confirmation`,
      );
    await this.drop(id, 'cancelled', null);
  }

  /**
   * Cleans up after imports that cannot finish: a `running` import whose reading connection is
   * gone (its process died) fails and loses its staging table and uploaded file; a preview past
   * its time expires; staging tables no import waits on are dropped. Safe with several servers.
   */
  async recover(now = new Date()): Promise<{ failed: number; expired: number }> {
    const runner = await importRunner(this.dataSource);
    let failed = 0;
    try {
      const running = await runningImports(runner);
      for (const row of running) {
        if (!(await tryLockRun(runner, row.id))) continue;
        try {
          if (await failInterrupted(runner, row.id)) {
            failed += 1;
            await dropTableIfExists(runner, stagingTable(row.id));
            if (row.upload_path) await rm(row.upload_path, { force: true });
          }
        } finally {
          await unlockRun(runner, row.id);
        }
      }
      const due = await previewsDue(runner, now);
      for (const { id } of due)
        await this.drop(id, 'expired', {
          line: null,
          reason: 'the preview was not confirmed in time; nothing was changed',
        });
      const orphans = await orphanStagingTables(runner);
      for (const { name } of orphans)
        await dropTableIfExists(runner, `${IMPORT_WORK_SCHEMA}."${name}"`);
      return { failed, expired: due.length };
    } finally {
      await releaseImportRunner(runner);
    }
  }

  private async plan(
    path: string,
    fileName: string,
    options: ImportOptions,
  ): Promise<Omit<Plan, 'id' | 'sha256' | 'bytesTotal' | 'fileName'>> {
    const first = await firstLine(path);
    const format = options.kind
      ? IMPORT_FORMATS.find((f) => f.kind === options.kind)!
      : (IMPORT_FORMATS.find((f) => f.detect(fileName, first)) ??
        IMPORT_FORMATS.find((f) => f.fileNamePattern?.test(fileName) && first.includes('\t')));
    if (!format)
      throw new ImportLineError(
        1,
        `cannot tell what kind of file ${fileName} is; name it with --kind (${IMPORT_FORMATS.map((f) => f.kind).join(', ')})`,
      );
    const edition = options.edition ?? format.editionFromFileName?.(fileName) ?? null;
    if (!edition)
      throw new ImportLineError(
        null,
        `no edition in the file name ${fileName}; give one (for example --edition 2026 or 2024Q3)`,
      );
    const effectiveDate = options.effectiveDate ?? defaultEffectiveDate(format.kind, edition);
    if (!effectiveDate)
      throw new ImportLineError(
        null,
        `give the date edition ${edition} takes effect (--effective YYYY-MM-DD)`,
      );
    return { format, edition, effectiveDate };
  }

  private async readPreview(
    path: string,
    plan: Plan,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportOutcome> {
    const progress: ImportProgress = {
      phase: 'reading',
      rowsRead: 0,
      bytesRead: 0,
      bytesTotal: plan.bytesTotal,
    };
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
        void saveProgress(
          this.dataSource.manager,
          plan.id,
          progress.phase,
          progress.rowsRead,
          progress.bytesRead,
        ).catch(() => undefined);
      }
    };

    const runner = await importRunner(this.dataSource);
    const staging = stagingTable(plan.id);
    await lockRun(runner, plan.id);
    try {
      const previous = await this.previousSummary(runner, plan);
      if (previous) {
        const summary: ImportSummary = {
          ...previous,
          fileName: plan.fileName,
          added: 0,
          changed: 0,
          removed: 0,
          ended: 0,
          unchanged: true,
          durationMs: 0,
        };
        await markUnchanged(this.dataSource.manager, plan.id, summary);
        progress.phase = 'done';
        report(true);
        return { id: plan.id, status: 'unchanged', summary };
      }
      const target = plan.format.target;
      await createStaging(runner, staging, target.table);
      try {
        await this.copyRows(runner, path, plan, staging, progress, report);
        progress.phase = 'checking';
        report(true);
        await analyzeStaging(runner, staging);
        await assertNoDuplicates(runner, target, staging);
        const scope: DiffScope = {
          target,
          staging,
          kind: plan.format.kind,
          edition: plan.edition,
          effectiveDate: plan.effectiveDate,
          byPartition: true,
        };
        const outcome = await this.countPreview(runner, plan.id, scope, null, progress.rowsRead);
        progress.phase = 'done';
        report(true);
        return outcome;
      } catch (error) {
        await dropTableIfExists(runner, staging).catch(() => undefined);
        throw error;
      }
    } finally {
      await unlockRun(runner, plan.id).catch(() => undefined);
      await releaseImportRunner(runner);
    }
  }

  /** Counts the preview against the target as it stands, and remembers which applied import that was. */
  private async countPreview(
    runner: QueryRunner,
    id: string,
    scope: DiffScope,
    restoring: string | null,
    rowsRead?: number,
  ): Promise<ImportOutcome> {
    await runner.startTransaction();
    try {
      await lockImports(runner);
      const base = await lastAppliedId(runner);
      const preview = await previewDiff(runner, scope, restoring);
      await markPreview(runner, id, preview, base, this.previewTtlMs, rowsRead ?? null);
      await runner.commitTransaction();
      return { id, status: 'preview', preview };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async lockRow(runner: QueryRunner, id: string): Promise<ImportRow> {
    const row = await lockImportRow(runner, assertId(id));
    if (!row) throw DomainError.notFound('The import');
    return row;
  }

  /** Ends a preview or a failed read: its staging table goes, its row says why. */
  private async drop(
    id: string,
    status: 'cancelled' | 'expired',
    error: ImportErrorDetail | null,
  ): Promise<void> {
    await markDropped(this.dataSource.manager, id, status, error);
    await dropTableIfExists(this.dataSource.manager, stagingTable(id));
  }

  /**
   * The summary of the last applied import of this kind and edition when it had the same
   * content and was not undone: then this import has nothing to do.
   */
  private async previousSummary(runner: QueryRunner, plan: Plan): Promise<ImportSummary | null> {
    const last = await lastSucceeded(runner, plan.format.kind, plan.edition);
    return last?.sha256 === plan.sha256 && !last.restored ? last.summary : null;
  }

  /** Parses every line and streams the rows into the staging table with COPY. */
  private async copyRows(
    runner: QueryRunner,
    path: string,
    plan: Plan,
    staging: string,
    progress: ImportProgress,
    report: () => void,
  ): Promise<number> {
    const copy = await copyInto(runner, staging, plan.format.target.columns);
    // Postgres refusing a value ends the COPY with an error event at any moment: kept here, never uncaught.
    const copyFailed: { error: Error | null } = { error: null };
    copy.on('error', (error: Error) => {
      copyFailed.error ??= error;
    });
    const throwIfCopyFailed = (): void => {
      if (copyFailed.error) throw copyFailed.error;
    };
    const parser = plan.format.createParser({
      kind: plan.format.kind,
      edition: plan.edition,
      effectiveDate: plan.effectiveDate,
    });
    const gzip = await isGzip(path);
    let lineNo = 0;
    let rows = 0;
    let buffer = '';
    const flush = async () => {
      const chunk = buffer;
      buffer = '';
      throwIfCopyFailed();
      if (!copy.write(chunk)) await Promise.race([once(copy, 'drain'), once(copy, 'close')]);
      throwIfCopyFailed();
    };
    const write = async (out: Cell[][]) => {
      for (const row of out) buffer += `${row.map(copyValue).join('\t')}\n`;
      rows += out.length;
      progress.rowsRead = rows;
      if (buffer.length >= 1 << 16) {
        await flush();
        report();
        // Let other requests in between chunks: a big file must not hold the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    try {
      for await (const line of readLines(path, {
        gzip,
        limits: this.limits,
        onBytesRead: (n) => (progress.bytesRead = n),
      })) {
        lineNo += 1;
        await write(parser.line(lineNo === 1 ? line.replace(/^\uFEFF/, '') : line, lineNo));
      }
      await write(parser.end(lineNo));
      if (buffer) await flush();
      copy.end();
      await finished(copy);
      throwIfCopyFailed();
    } catch (error) {
      if (!copy.destroyed) copy.destroy(error instanceof Error ? error : new Error(String(error)));
      await finished(copy).catch(() => undefined);
      if (error instanceof ImportLineError) throw error;
      // A value the parser let through but Postgres refused: say so, with the COPY line when it names one.
      const reason = error instanceof Error ? error.message : String(error);
      const where = /COPY \S+, line (\d+)/.exec((error as { where?: string }).where ?? '');
      if ((error as { code?: string }).code)
        throw new ImportLineError(
          null,
          `the database refused a value${where ? ` (row ${where[1]})` : ''}: ${reason}`,
        );
      throw error;
    }
    return rows;
  }

  private async fail(id: string, error: unknown): Promise<ImportOutcome> {
    const detail: ImportErrorDetail =
      error instanceof ImportLineError
        ? { line: error.line, reason: error.reason }
        : { line: null, reason: error instanceof Error ? error.message : String(error) };
    await markFailed(this.dataSource.manager, id, detail);
    await dropTableIfExists(this.dataSource.manager, stagingTable(id)).catch(() => undefined);
    return { id, status: 'failed', error: detail };
  }
}

/** COPY text format: backslash escapes, `\N` for null. */
function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  );
}

export async function fileSha256(path: string): Promise<string> {
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
        head = gunzipSync(head, { finishFlush: 2, maxOutputLength: 1 << 20 });
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
