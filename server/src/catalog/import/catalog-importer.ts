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
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { typedQuery } from '../../database/typed-query.js';
import { DomainError } from '../../errors/domain-error.js';
import { CLFS_FORMAT } from './clfs-format.js';
import { CODE_SET_FORMATS } from './code-set-formats.js';
import { EDIT_DATA_FORMATS } from './edit-data-formats.js';
import {
  assertNoDuplicates,
  endSuperseded,
  merge,
  previewDiff,
  reopenEnded,
  snapshot,
  type DiffScope,
} from './import-diff.js';
import {
  ImportLineError,
  dataset,
  defaultEffectiveDate,
  type Cell,
  type ImportFormat,
} from './import-format.js';
import { DEFAULT_READ_LIMITS, readLines, type ReadLimits } from './line-reader.js';

/** Every format an import recognises; a new kind adds its format here. */
/**
 * A connection for import work, without the pool's statement timeout: one COPY or merge of the
 * 1.67 million PTP pairs is a single statement that may outlast it on a busy machine.
 */
async function importRunner(dataSource: DataSource): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.query('SET statement_timeout = 0');
  return runner;
}

/** Gives the connection back to the pool with the pool's own statement timeout. */
async function releaseImportRunner(runner: QueryRunner): Promise<void> {
  await runner.query('RESET statement_timeout').catch(() => undefined);
  await runner.release();
}

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  ...CODE_SET_FORMATS,
  ...EDIT_DATA_FORMATS,
  CLFS_FORMAT,
];

/** Applies and preview counts wait for each other: one advisory lock for all of them. */
const IMPORT_LOCK = 7_239_002;
/** With the import's id, held by the connection reading its file: a `running` import whose lock is free has died. */
const RUN_LOCK = 7_239_003;
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

interface ImportRow {
  id: string;
  kind: ImportKind;
  edition: string;
  effective_date: string;
  file_name: string;
  sha256: string;
  status: string;
  expired: boolean;
  base_applied_id: string | null;
  restores_import_id: string | null;
  preview: ImportPreview | null;
  started_at: Date;
}

/** The schema of staging and undo tables: the only one where the app role may create tables. */
export const IMPORT_WORK_SCHEMA = 'catalog_work';
/** An import's staging table, unqualified (as pg_tables names it). */
export const stagingTableName = (id: string) => `catalog_import_staging_${assertId(id)}`;
export const stagingTable = (id: string) => `${IMPORT_WORK_SCHEMA}.${stagingTableName(id)}`;
const undoTable = (id: string) => `${IMPORT_WORK_SCHEMA}.catalog_import_undo_${assertId(id)}`;
function assertId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw DomainError.notFound('The import');
  return id;
}

/** The last applied import's id: a preview is valid only while this has not moved. */
async function lastAppliedId(runner: QueryRunner): Promise<string | null> {
  const [row] = await typedQuery<Array<{ id: string | null }>>(
    runner,
    `SELECT max(id)::text AS id FROM catalog_imports WHERE applied_at IS NOT NULL`,
  );
  return row?.id ?? null;
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
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, bytes_total, started_by, upload_path)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9) RETURNING id`,
      [
        known?.format.kind ?? options.kind ?? 'unknown',
        known ? dataset(known.format.kind) : options.kind ? dataset(options.kind) : 'unknown',
        known?.edition ?? options.edition ?? 'unknown',
        known?.effectiveDate ?? '1970-01-01',
        fileName,
        sha256,
        bytesTotal,
        startedBy,
        uploadPath,
      ],
    );
    const id = String(row!.id);
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
    const [last] = await this.dataSource.query<
      Array<{
        id: string;
        effective_date: string;
        file_name: string;
        undo_table: string | null;
        restored_by: string | null;
        previous_edition: { effective_date: string } | null;
      }>
    >(
      `SELECT id::text, effective_date::text, file_name, undo_table, restored_by_import_id::text AS restored_by, previous_edition
         FROM catalog_imports WHERE kind = $1 AND edition = $2 AND applied_at IS NOT NULL AND restores_import_id IS NULL ORDER BY id DESC LIMIT 1`,
      [kind, edition],
    );
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
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, started_by, restores_import_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8) RETURNING id`,
      [
        kind,
        dataset(kind),
        edition,
        last.previous_edition?.effective_date ?? last.effective_date,
        `restore before #${last.id} (${last.file_name})`,
        `restore:${last.id}`,
        startedBy,
        last.id,
      ],
    );
    const id = String(row!.id);
    const done = (async (): Promise<ImportOutcome> => {
      const runner = await importRunner(this.dataSource);
      await runner.query('SELECT pg_advisory_lock($1, $2::int)', [RUN_LOCK, Number(id)]);
      try {
        await runner.query(
          `CREATE UNLOGGED TABLE ${stagingTable(id)} AS SELECT * FROM ${last.undo_table}`,
        );
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
        await runner.query(`DROP TABLE IF EXISTS ${stagingTable(id)}`).catch(() => undefined);
        throw error;
      } finally {
        await runner
          .query('SELECT pg_advisory_unlock($1, $2::int)', [RUN_LOCK, Number(id)])
          .catch(() => undefined);
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
      await runner.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
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
      const [previousEdition] = await typedQuery<Array<Record<string, string>>>(
        runner,
        `SELECT kind, edition, dataset, effective_date::text, file_name, import_id::text FROM catalog_editions WHERE kind = $1 AND edition = $2`,
        [row.kind, row.edition],
      );
      if (!restoring) await snapshot(runner, scope, undoTable(id));
      const counts = await merge(runner, scope);
      let ended = 0;
      let reopened = 0;
      if (restoring) {
        reopened = await reopenEnded(runner, restoring);
        const [undone] = await typedQuery<
          Array<{
            previous_edition: Record<string, string> | null;
            undo_table: string | null;
          }>
        >(runner, `SELECT previous_edition, undo_table FROM catalog_imports WHERE id = $1`, [
          restoring,
        ]);
        const before = undone?.previous_edition;
        if (before)
          await this.putEdition(
            runner,
            before.kind!,
            before.edition!,
            before.effective_date!,
            before.file_name!,
            before.import_id!,
            false,
          );
        else
          await runner.query(`DELETE FROM catalog_editions WHERE kind = $1 AND edition = $2`, [
            row.kind,
            row.edition,
          ]);
        if (undone?.undo_table) await runner.query(`DROP TABLE IF EXISTS ${undone.undo_table}`);
        await runner.query(
          `UPDATE catalog_imports SET restored_by_import_id = $2, undo_table = NULL WHERE id = $1`,
          [restoring, id],
        );
      } else {
        ended = await endSuperseded(runner, scope, id);
        await this.putEdition(
          runner,
          row.kind,
          row.edition,
          row.effective_date,
          row.file_name,
          id,
          Boolean(format.target.partitionColumn),
        );
        // Only the last import of a kind and edition can be undone: older copies go.
        const older = await typedQuery<Array<{ id: string; undo_table: string }>>(
          runner,
          `SELECT id::text, undo_table FROM catalog_imports WHERE kind = $1 AND edition = $2 AND id <> $3 AND undo_table IS NOT NULL`,
          [row.kind, row.edition, id],
        );
        for (const o of older) await runner.query(`DROP TABLE IF EXISTS ${o.undo_table}`);
        if (older.length)
          await runner.query(
            `UPDATE catalog_imports SET undo_table = NULL WHERE id = ANY($1::bigint[])`,
            [older.map((o) => o.id)],
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
      await runner.query(`DROP TABLE ${stagingTable(id)}`);
      await runner.query(
        `UPDATE catalog_imports SET status = 'succeeded', phase = 'done', summary = $2, applied_at = now(), finished_at = now(), expires_at = NULL,
                undo_table = $3, previous_edition = $4
          WHERE id = $1`,
        [
          id,
          JSON.stringify(summary),
          restoring ? null : undoTable(id),
          previousEdition ? JSON.stringify(previousEdition) : null,
        ],
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
    const [row] = await this.dataSource.query<Array<{ status: string }>>(
      `SELECT status FROM catalog_imports WHERE id = $1`,
      [assertId(id)],
    );
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
      const running = await typedQuery<Array<{ id: string; upload_path: string | null }>>(
        runner,
        `SELECT id::text, upload_path FROM catalog_imports WHERE status = 'running'`,
      );
      for (const row of running) {
        const [{ free }] = await typedQuery<[{ free: boolean }]>(
          runner,
          'SELECT pg_try_advisory_lock($1, $2::int) AS free',
          [RUN_LOCK, Number(row.id)],
        );
        if (!free) continue;
        try {
          const result = await runner.query(
            `UPDATE catalog_imports SET status = 'failed', phase = 'done', finished_at = now(), upload_path = NULL,
                    error = '{"line": null, "reason": "interrupted: the server stopped during the import; nothing was changed"}'
              WHERE id = $1 AND status = 'running'`,
            [row.id],
            true,
          );
          if (result.affected) {
            failed += 1;
            await runner.query(`DROP TABLE IF EXISTS ${stagingTable(row.id)}`);
            if (row.upload_path) await rm(row.upload_path, { force: true });
          }
        } finally {
          await runner.query('SELECT pg_advisory_unlock($1, $2::int)', [RUN_LOCK, Number(row.id)]);
        }
      }
      const due = await typedQuery<Array<{ id: string }>>(
        runner,
        `SELECT id::text FROM catalog_imports WHERE status = 'preview' AND expires_at < $1`,
        [now],
      );
      for (const { id } of due)
        await this.drop(id, 'expired', {
          line: null,
          reason: 'the preview was not confirmed in time; nothing was changed',
        });
      const orphans = await typedQuery<Array<{ name: string }>>(
        runner,
        `SELECT t.tablename AS name FROM pg_tables t
          WHERE t.schemaname = '${IMPORT_WORK_SCHEMA}' AND t.tablename LIKE 'catalog\\_import\\_staging\\_%'
            AND NOT EXISTS (SELECT 1 FROM catalog_imports i WHERE 'catalog_import_staging_' || i.id = t.tablename AND i.status IN ('running', 'preview'))`,
      );
      for (const { name } of orphans)
        await runner.query(`DROP TABLE IF EXISTS ${IMPORT_WORK_SCHEMA}."${name}"`);
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
        void this.dataSource
          .query(
            'UPDATE catalog_imports SET phase = $2, rows_read = $3, bytes_read = $4 WHERE id = $1 AND status = $5',
            [plan.id, progress.phase, progress.rowsRead, progress.bytesRead, 'running'],
          )
          .catch(() => undefined);
      }
    };

    const runner = await importRunner(this.dataSource);
    const staging = stagingTable(plan.id);
    await runner.query('SELECT pg_advisory_lock($1, $2::int)', [RUN_LOCK, Number(plan.id)]);
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
        await this.dataSource.query(
          `UPDATE catalog_imports SET status = 'unchanged', phase = 'done', summary = $2, bytes_read = bytes_total, finished_at = now(), upload_path = NULL WHERE id = $1`,
          [plan.id, JSON.stringify(summary)],
        );
        progress.phase = 'done';
        report(true);
        return { id: plan.id, status: 'unchanged', summary };
      }
      const target = plan.format.target;
      await runner.query(
        `CREATE UNLOGGED TABLE ${staging} (LIKE ${target.table} INCLUDING DEFAULTS)`,
      );
      try {
        await this.copyRows(runner, path, plan, staging, progress, report);
        progress.phase = 'checking';
        report(true);
        await runner.query(`ANALYZE ${staging}`);
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
        await runner.query(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
        throw error;
      }
    } finally {
      await runner
        .query('SELECT pg_advisory_unlock($1, $2::int)', [RUN_LOCK, Number(plan.id)])
        .catch(() => undefined);
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
      await runner.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const base = await lastAppliedId(runner);
      const preview = await previewDiff(runner, scope, restoring);
      await runner.query(
        `UPDATE catalog_imports SET status = 'preview', phase = 'preview', preview = $2, base_applied_id = $3, expires_at = now() + $4 * interval '1 millisecond',
                rows_read = COALESCE($5::int, $6::int), bytes_read = bytes_total, upload_path = NULL
          WHERE id = $1`,
        [id, JSON.stringify(preview), base, this.previewTtlMs, rowsRead ?? null, preview.rows],
      );
      await runner.commitTransaction();
      return { id, status: 'preview', preview };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async lockRow(runner: QueryRunner, id: string): Promise<ImportRow> {
    const [row] = await typedQuery<ImportRow[]>(
      runner,
      `SELECT id::text, kind, edition, effective_date::text, file_name, sha256, status, expires_at < now() AS expired, base_applied_id::text,
              restores_import_id::text, preview, started_at
         FROM catalog_imports WHERE id = $1 FOR UPDATE`,
      [assertId(id)],
    );
    if (!row) throw DomainError.notFound('The import');
    return row;
  }

  private async putEdition(
    runner: QueryRunner,
    kind: string,
    edition: string,
    effectiveDate: string,
    fileName: string,
    importId: string,
    appendFile: boolean,
  ): Promise<void> {
    await runner.query(
      `INSERT INTO catalog_editions (kind, edition, dataset, effective_date, file_name, import_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, edition) DO UPDATE SET dataset = EXCLUDED.dataset, effective_date = EXCLUDED.effective_date, import_id = EXCLUDED.import_id,
         file_name = CASE WHEN NOT $7 THEN EXCLUDED.file_name
                          WHEN EXCLUDED.file_name = ANY(string_to_array(catalog_editions.file_name, ', ')) THEN catalog_editions.file_name
                          ELSE catalog_editions.file_name || ', ' || EXCLUDED.file_name END`,
      [kind, edition, dataset(kind as ImportKind), effectiveDate, fileName, importId, appendFile],
    );
  }

  /** Ends a preview or a failed read: its staging table goes, its row says why. */
  private async drop(
    id: string,
    status: 'cancelled' | 'expired',
    error: ImportErrorDetail | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE catalog_imports SET status = $2, phase = 'done', error = $3, finished_at = now(), expires_at = NULL WHERE id = $1 AND status = 'preview'`,
      [id, status, error ? JSON.stringify(error) : null],
    );
    await this.dataSource.query(`DROP TABLE IF EXISTS ${stagingTable(id)}`);
  }

  /**
   * The summary of the last applied import of this kind and edition when it had the same
   * content and was not undone: then this import has nothing to do.
   */
  private async previousSummary(runner: QueryRunner, plan: Plan): Promise<ImportSummary | null> {
    const rows = await typedQuery<
      Array<{ sha256: string; summary: ImportSummary; restored: boolean }>
    >(
      runner,
      `SELECT sha256, summary, restored_by_import_id IS NOT NULL AS restored FROM catalog_imports
        WHERE kind = $1 AND edition = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1`,
      [plan.format.kind, plan.edition],
    );
    return rows[0]?.sha256 === plan.sha256 && !rows[0].restored ? rows[0].summary : null;
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
    const client = (await runner.connect()) as pg.PoolClient;
    const target = plan.format.target;
    const copy = client.query(
      copyFrom(`COPY ${staging} (${target.columns.join(', ')}) FROM STDIN`),
    );
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
    await this.dataSource.query(
      `UPDATE catalog_imports SET status = 'failed', phase = 'done', error = $2, finished_at = now(), upload_path = NULL WHERE id = $1`,
      [id, JSON.stringify(detail)],
    );
    await this.dataSource.query(`DROP TABLE IF EXISTS ${stagingTable(id)}`).catch(() => undefined);
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
