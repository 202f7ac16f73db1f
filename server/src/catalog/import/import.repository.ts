import type {
  ImportErrorDetail,
  ImportKind,
  ImportPreview,
  ImportSummary,
} from '@countersign/shared';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { typedQuery } from '../../database/typed-query.js';
import { ImportLineError, dataset, type ImportTarget } from './import-format.js';

/**
 * The SQL of catalogue imports: the run bookkeeping in catalog_imports and catalog_editions,
 * the advisory locks, the staging and undo tables in catalog_work with their COPY, and the
 * set-based diff and apply. Statements on a run's own connection take its QueryRunner; those
 * outside it (progress, the final state of a run) take the pool's EntityManager.
 */

/** Kinds that list a whole code set, so a code missing from a newer edition has ended. */
export const COMPLETE_CODE_SETS: Partial<Record<ImportKind, string>> = {
  'icd10cm-order': "o.system = 'ICD10CM'",
  'icd10cm-tsv': "o.system = 'ICD10CM' AND o.billable",
  'icd10cm-headers-tsv': "o.system = 'ICD10CM' AND NOT o.billable",
  'hcpcs-tsv': "o.system = 'HCPCS'",
  'hcpcs-anweb': "o.system IN ('HCPCS', 'MODIFIER')",
  'modifiers-tsv': "o.system = 'MODIFIER'",
  'cpt-licensed': "o.system = 'CPT'",
};

/** Past this share of an edition removed, or of a code set in force ended, the preview warns loudly. */
export const LOUD_SHARE = 0.05;

const SAMPLES = 5;

/** What one import changes: its staged rows against the rows of the target it replaces. */
export interface DiffScope {
  target: ImportTarget;
  staging: string;
  kind: ImportKind;
  edition: string;
  effectiveDate: string;
  /** False for a restore: it replaces the whole edition (of its kind), not only the staged partitions. */
  byPartition: boolean;
}

/** `$1` is the edition and `$2` the kind; the rows of the target this import replaces. */
function scopeSql(scope: DiffScope): string {
  const { target, staging } = scope;
  const base = target.scopedByKind
    ? 't.edition = $1 AND t.import_kind = $2'
    : 't.edition = $1 AND $2::text IS NOT NULL';
  const column = target.partitionColumn;
  return scope.byPartition && column
    ? `${base} AND t.${column} IN (SELECT DISTINCT ${column} FROM ${staging})`
    : base;
}

const keyOn = (target: ImportTarget) => target.key.map((k) => `t.${k} = s.${k}`).join(' AND ');
const valueColumns = (target: ImportTarget) =>
  target.columns.filter((c) => !target.key.includes(c) && c !== 'source_row');
const distinct = (target: ImportTarget) =>
  `(${valueColumns(target)
    .map((c) => `t.${c}`)
    .join(', ')}) IS DISTINCT FROM (${valueColumns(target)
    .map((c) => `s.${c}`)
    .join(', ')})`;
/** A row named as people read it: its key without the edition, e.g. `11042 / 11000`. */
const label = (target: ImportTarget, alias: string) =>
  `concat_ws(' / ', ${target.key
    .filter((k) => k !== 'edition')
    .map((k) => `${alias}.${k}`)
    .join(', ')})`;

async function countAndSample(
  runner: QueryRunner,
  from: string,
  labelSql: string,
  order: string,
  params: unknown[],
): Promise<{ n: number; samples: string[] }> {
  const [{ n }] = await typedQuery<[{ n: number }]>(
    runner,
    `SELECT count(*)::int AS n ${from}`,
    params,
  );
  if (n === 0) return { n, samples: [] };
  const rows = await typedQuery<Array<{ label: string }>>(
    runner,
    `SELECT ${labelSql} AS label ${from} ORDER BY ${order} LIMIT ${SAMPLES}`,
    params,
  );
  return { n, samples: rows.map((r) => r.label) };
}

/** A key that appears twice in one file is an error at its second line. */
export async function assertNoDuplicates(
  runner: QueryRunner,
  target: ImportTarget,
  staging: string,
): Promise<void> {
  const key = target.key.join(', ');
  const rows = await typedQuery<Array<{ first: number; second: number; key: string }>>(
    runner,
    `SELECT min(source_row) AS first, (array_agg(source_row ORDER BY source_row))[2] AS second, concat_ws(' / ', ${key}) AS key
       FROM ${staging} GROUP BY ${key} HAVING count(*) > 1 ORDER BY 2 LIMIT 1`,
  );
  const dup = rows[0];
  if (dup) throw new ImportLineError(Number(dup.second), `${dup.key} repeats line ${dup.first}`);
}

/** Codes of older editions this complete code set would end: `o` is the older row. */
function endedFrom(scope: DiffScope): string | null {
  const filter = COMPLETE_CODE_SETS[scope.kind];
  if (!filter) return null;
  return `FROM catalog_codes o
     WHERE ${filter} AND o.edition <> $1 AND o.effective_date < $3::date AND o.termination_date IS NULL
       AND NOT EXISTS (SELECT 1 FROM ${scope.staging} n WHERE n.system = o.system AND n.code = o.code)
       AND NOT EXISTS (SELECT 1 FROM catalog_codes n WHERE n.system = o.system AND n.code = o.code AND n.edition = $1 AND n.import_kind <> $2)`;
}

/**
 * The preview of an import: rows added, changed and removed in the target, codes of older
 * editions ended (complete code sets) or reopened (a restore), a few of each, and a loud
 * warning when a large share would go.
 */
export async function previewDiff(
  runner: QueryRunner,
  scope: DiffScope,
  reopenOf: string | null,
): Promise<ImportPreview> {
  const { target, staging } = scope;
  const params = [scope.edition, scope.kind];
  const on = keyOn(target);
  const [{ rows }] = await typedQuery<[{ rows: number }]>(
    runner,
    `SELECT count(*)::int AS rows FROM ${staging}`,
  );
  const [{ existing }] = await typedQuery<[{ existing: number }]>(
    runner,
    `SELECT count(*)::int AS existing FROM ${target.table} t WHERE ${scopeSql(scope)}`,
    params,
  );
  const added = await countAndSample(
    runner,
    `FROM ${staging} s WHERE NOT EXISTS (SELECT 1 FROM ${target.table} t WHERE ${on})`,
    label(target, 's'),
    's.source_row',
    [],
  );
  const changed = await countAndSample(
    runner,
    `FROM ${target.table} t JOIN ${staging} s ON ${on} WHERE ${distinct(target)}`,
    label(target, 's'),
    's.source_row',
    [],
  );
  const removed = await countAndSample(
    runner,
    `FROM ${target.table} t WHERE ${scopeSql(scope)} AND NOT EXISTS (SELECT 1 FROM ${staging} s WHERE ${on})`,
    label(target, 't'),
    label(target, 't'),
    params,
  );
  let ended = { n: 0, samples: [] as string[] };
  let endable = 0;
  const endedSql = reopenOf === null ? endedFrom(scope) : null;
  if (endedSql) {
    const endedParams = [scope.edition, scope.kind, scope.effectiveDate];
    ended = await countAndSample(
      runner,
      endedSql,
      `o.system || ' ' || o.code || ' (' || o.edition || ')'`,
      'o.system, o.code, o.edition',
      endedParams,
    );
    const filter = COMPLETE_CODE_SETS[scope.kind]!;
    [{ endable }] = await typedQuery<[{ endable: number }]>(
      runner,
      `SELECT count(*)::int AS endable FROM catalog_codes o WHERE ${filter} AND o.edition <> $1 AND o.effective_date < $2::date AND o.termination_date IS NULL`,
      [scope.edition, scope.effectiveDate],
    );
  }
  const reopened =
    reopenOf === null
      ? { n: 0, samples: [] }
      : await countAndSample(
          runner,
          reopenFrom(),
          `e.system || ' ' || e.code || ' (' || e.edition || ')'`,
          'e.system, e.code',
          [reopenOf],
        );

  const warnings: string[] = [];
  const pct = (part: number, whole: number) =>
    `${((part / whole) * 100).toFixed(part / whole < 0.1 ? 1 : 0)}%`;
  if (existing > 0 && removed.n / existing > LOUD_SHARE) {
    warnings.push(
      `removes ${removed.n.toLocaleString('en-US')} of the ${existing.toLocaleString('en-US')} rows of ${dataset(scope.kind)} ${scope.edition} now loaded (${pct(removed.n, existing)})`,
    );
  }
  if (endable > 0 && ended.n / endable > LOUD_SHARE) {
    warnings.push(
      `ends ${ended.n.toLocaleString('en-US')} of the ${endable.toLocaleString('en-US')} ${dataset(scope.kind)} codes of older editions in force (${pct(ended.n, endable)})`,
    );
  }
  return {
    rows,
    existing,
    added: added.n,
    changed: changed.n,
    removed: removed.n,
    ended: ended.n,
    endable,
    reopened: reopened.n,
    samples: {
      added: added.samples,
      changed: changed.samples,
      removed: removed.samples,
      ended: ended.samples,
      reopened: reopened.samples,
    },
    warning: warnings.length
      ? reopenOf === null
        ? `This import ${warnings.join(' and ')}. Is the file complete?`
        : `This restore ${warnings.join(' and ')}. Is that the edition you want back?`
      : null,
  };
}

/** Merges the staged rows into the target: changed rows updated, missing rows removed, new rows added. */
export async function merge(
  runner: QueryRunner,
  scope: DiffScope,
): Promise<{ added: number; changed: number; removed: number }> {
  const { target, staging } = scope;
  const { table, columns } = target;
  const on = keyOn(target);
  const params = [scope.edition, scope.kind];
  const [{ any }] = await typedQuery<[{ any: boolean }]>(
    runner,
    `SELECT EXISTS (SELECT 1 FROM ${table} WHERE edition = $1) AS any`,
    [scope.edition],
  );
  if (!any) {
    const inserted = await runner.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${staging}`,
      [],
      true,
    );
    return { added: inserted.affected ?? 0, changed: 0, removed: 0 };
  }
  const [{ n: changed }] = await typedQuery<[{ n: number }]>(
    runner,
    `SELECT count(*)::int AS n FROM ${table} t JOIN ${staging} s ON ${on} WHERE ${distinct(target)}`,
  );
  await runner.query(
    `UPDATE ${table} t SET ${[...valueColumns(target), 'source_row'].map((c) => `${c} = s.${c}`).join(', ')}
       FROM ${staging} s WHERE ${on} AND (${distinct(target)} OR t.source_row IS DISTINCT FROM s.source_row)`,
  );
  const removed = await runner.query(
    `DELETE FROM ${table} t WHERE ${scopeSql(scope)} AND NOT EXISTS (SELECT 1 FROM ${staging} s WHERE ${on})`,
    params,
    true,
  );
  const added = await runner.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM ${staging} s
      WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${on})`,
    [],
    true,
  );
  return { added: added.affected ?? 0, changed, removed: removed.affected ?? 0 };
}

/**
 * A complete code set ends every code of an older edition that it no longer lists: the day
 * before it takes effect, unless that code already ended. The codes it ended are kept with
 * the import, so a restore can reopen them.
 */
export async function endSuperseded(
  runner: QueryRunner,
  scope: DiffScope,
  importId: string,
): Promise<number> {
  const filter = COMPLETE_CODE_SETS[scope.kind];
  if (!filter) return 0;
  const rows = await typedQuery<Array<{ system: string; code: string; edition: string }>>(
    runner,
    `UPDATE catalog_codes o SET termination_date = ($2::date - 1)
      WHERE ${filter} AND o.edition <> $1 AND o.effective_date < $2::date AND o.termination_date IS NULL
        AND NOT EXISTS (SELECT 1 FROM catalog_codes n WHERE n.system = o.system AND n.code = o.code AND n.edition = $1)
      RETURNING o.system, o.code, o.edition`,
    [scope.edition, scope.effectiveDate],
  );
  const ended = Array.isArray(rows[0]) ? (rows[0] as typeof rows) : rows;
  if (ended.length) {
    await runner.query(
      `INSERT INTO catalog_import_ended (import_id, system, code, edition)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
      [importId, ended.map((r) => r.system), ended.map((r) => r.code), ended.map((r) => r.edition)],
    );
  }
  return ended.length;
}

/** The codes an applied import ended that are still ended on the day it set: `$1` is that import. */
function reopenFrom(): string {
  return `FROM catalog_import_ended e JOIN catalog_imports i ON i.id = e.import_id
       JOIN catalog_codes c ON c.system = e.system AND c.code = e.code AND c.edition = e.edition
      WHERE e.import_id = $1 AND c.termination_date = i.effective_date - 1`;
}

/** Undoes what `endSuperseded` did for one import. */
export async function reopenEnded(runner: QueryRunner, importId: string): Promise<number> {
  const result = await runner.query(
    `UPDATE catalog_codes c SET termination_date = NULL
       FROM catalog_import_ended e JOIN catalog_imports i ON i.id = e.import_id
      WHERE e.import_id = $1 AND c.system = e.system AND c.code = e.code AND c.edition = e.edition AND c.termination_date = i.effective_date - 1`,
    [importId],
    true,
  );
  return result.affected ?? 0;
}

/** The rows an import replaces, whole edition (of its kind), kept so that a restore can put them back. */
export async function snapshot(runner: QueryRunner, scope: DiffScope, into: string): Promise<void> {
  await runner.query(
    `CREATE TABLE ${into} AS SELECT * FROM ${scope.target.table} t WHERE ${scopeSql({ ...scope, byPartition: false })}`,
    [scope.edition, scope.kind],
  );
}

/** The schema of staging and undo tables: the only one where the app role may create tables. */
export const IMPORT_WORK_SCHEMA = 'catalog_work';

/** Applies and preview counts wait for each other: one advisory lock for all of them. */
const IMPORT_LOCK = 7_239_002;
/** With the import's id, held by the connection reading its file: a `running` import whose lock is free has died. */
const RUN_LOCK = 7_239_003;

/** A QueryRunner or an EntityManager, for statements run on either (dropping a work table). */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface ImportRow {
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

/** The last applied import of a kind and edition that a restore would undo. */
export interface UndoableImport {
  id: string;
  effective_date: string;
  file_name: string;
  undo_table: string | null;
  restored_by: string | null;
  previous_edition: { effective_date: string } | null;
}

/**
 * A connection for import work, without the pool's statement timeout: one COPY or merge of the
 * 1.67 million PTP pairs is a single statement that may outlast it on a busy machine.
 */
export async function importRunner(dataSource: DataSource): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.query('SET statement_timeout = 0');
  return runner;
}

/** Gives the connection back to the pool with the pool's own statement timeout. */
export async function releaseImportRunner(runner: QueryRunner): Promise<void> {
  await runner.query('RESET statement_timeout').catch(() => undefined);
  await runner.release();
}

export async function insertPreviewImport(
  manager: EntityManager,
  values: {
    kind: string;
    dataset: string;
    edition: string;
    effectiveDate: string;
    fileName: string;
    sha256: string;
    bytesTotal: number;
    startedBy: string | null;
    uploadPath: string | null;
  },
): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, bytes_total, started_by, upload_path)
     VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9) RETURNING id`,
    [
      values.kind,
      values.dataset,
      values.edition,
      values.effectiveDate,
      values.fileName,
      values.sha256,
      values.bytesTotal,
      values.startedBy,
      values.uploadPath,
    ],
  );
  return String(row!.id);
}

export async function lastUndoableImport(
  manager: EntityManager,
  kind: ImportKind,
  edition: string,
): Promise<UndoableImport | undefined> {
  const [last] = await manager.query<UndoableImport[]>(
    `SELECT id::text, effective_date::text, file_name, undo_table, restored_by_import_id::text AS restored_by, previous_edition
       FROM catalog_imports WHERE kind = $1 AND edition = $2 AND applied_at IS NOT NULL AND restores_import_id IS NULL ORDER BY id DESC LIMIT 1`,
    [kind, edition],
  );
  return last;
}

export async function insertRestoreImport(
  manager: EntityManager,
  values: {
    kind: ImportKind;
    edition: string;
    effectiveDate: string;
    fileName: string;
    sha256: string;
    startedBy: string | null;
    restoresImportId: string;
  },
): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO catalog_imports (kind, dataset, edition, effective_date, file_name, sha256, status, started_by, restores_import_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8) RETURNING id`,
    [
      values.kind,
      dataset(values.kind),
      values.edition,
      values.effectiveDate,
      values.fileName,
      values.sha256,
      values.startedBy,
      values.restoresImportId,
    ],
  );
  return String(row!.id);
}

/** Held while the run's connection reads its file or restores; `recover` tests it. */
export async function lockRun(runner: QueryRunner, id: string): Promise<void> {
  await runner.query('SELECT pg_advisory_lock($1, $2::int)', [RUN_LOCK, Number(id)]);
}

export async function unlockRun(runner: QueryRunner, id: string): Promise<void> {
  await runner.query('SELECT pg_advisory_unlock($1, $2::int)', [RUN_LOCK, Number(id)]);
}

/** True when no connection holds the run's lock (and now this one does). */
export async function tryLockRun(runner: QueryRunner, id: string): Promise<boolean> {
  const [{ free }] = await typedQuery<[{ free: boolean }]>(
    runner,
    'SELECT pg_try_advisory_lock($1, $2::int) AS free',
    [RUN_LOCK, Number(id)],
  );
  return free;
}

/** Until the transaction ends: applies and preview counts wait for each other. */
export async function lockImports(runner: QueryRunner): Promise<void> {
  await runner.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
}

/** The last applied import's id: a preview is valid only while this has not moved. */
export async function lastAppliedId(runner: QueryRunner): Promise<string | null> {
  const [row] = await typedQuery<Array<{ id: string | null }>>(
    runner,
    `SELECT max(id)::text AS id FROM catalog_imports WHERE applied_at IS NOT NULL`,
  );
  return row?.id ?? null;
}

export async function createStagingFrom(
  runner: QueryRunner,
  staging: string,
  undoTable: string,
): Promise<void> {
  await runner.query(`CREATE UNLOGGED TABLE ${staging} AS SELECT * FROM ${undoTable}`);
}

export async function createStaging(
  runner: QueryRunner,
  staging: string,
  table: string,
): Promise<void> {
  await runner.query(`CREATE UNLOGGED TABLE ${staging} (LIKE ${table} INCLUDING DEFAULTS)`);
}

export async function analyzeStaging(runner: QueryRunner, staging: string): Promise<void> {
  await runner.query(`ANALYZE ${staging}`);
}

export async function dropTableIfExists(on: Queryable, table: string): Promise<void> {
  await on.query(`DROP TABLE IF EXISTS ${table}`);
}

export async function dropTable(runner: QueryRunner, table: string): Promise<void> {
  await runner.query(`DROP TABLE ${table}`);
}

/** Starts a COPY of text rows into the staging table on the run's own connection. */
export async function copyInto(
  runner: QueryRunner,
  staging: string,
  columns: readonly string[],
): Promise<CopyStreamQuery> {
  const client = (await runner.connect()) as pg.PoolClient;
  return client.query(copyFrom(`COPY ${staging} (${columns.join(', ')}) FROM STDIN`));
}

export async function lockImportRow(
  runner: QueryRunner,
  id: string,
): Promise<ImportRow | undefined> {
  const [row] = await typedQuery<ImportRow[]>(
    runner,
    `SELECT id::text, kind, edition, effective_date::text, file_name, sha256, status, expires_at < now() AS expired, base_applied_id::text,
            restores_import_id::text, preview, started_at
       FROM catalog_imports WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

export async function importStatus(
  manager: EntityManager,
  id: string,
): Promise<{ status: string } | undefined> {
  const [row] = await manager.query<Array<{ status: string }>>(
    `SELECT status FROM catalog_imports WHERE id = $1`,
    [id],
  );
  return row;
}

/** The edition row as it stands, kept with the import so that a restore can put it back. */
export async function editionRow(
  runner: QueryRunner,
  kind: string,
  edition: string,
): Promise<Record<string, string> | undefined> {
  const [row] = await typedQuery<Array<Record<string, string>>>(
    runner,
    `SELECT kind, edition, dataset, effective_date::text, file_name, import_id::text FROM catalog_editions WHERE kind = $1 AND edition = $2`,
    [kind, edition],
  );
  return row;
}

export async function putEdition(
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

export async function deleteEdition(
  runner: QueryRunner,
  kind: string,
  edition: string,
): Promise<void> {
  await runner.query(`DELETE FROM catalog_editions WHERE kind = $1 AND edition = $2`, [
    kind,
    edition,
  ]);
}

/** What the import a restore undoes kept: the edition row before it and its undo table. */
export async function undoneImport(
  runner: QueryRunner,
  id: string,
): Promise<
  { previous_edition: Record<string, string> | null; undo_table: string | null } | undefined
> {
  const [undone] = await typedQuery<
    Array<{
      previous_edition: Record<string, string> | null;
      undo_table: string | null;
    }>
  >(runner, `SELECT previous_edition, undo_table FROM catalog_imports WHERE id = $1`, [id]);
  return undone;
}

export async function markRestored(
  runner: QueryRunner,
  restoredId: string,
  byId: string,
): Promise<void> {
  await runner.query(
    `UPDATE catalog_imports SET restored_by_import_id = $2, undo_table = NULL WHERE id = $1`,
    [restoredId, byId],
  );
}

/** The undo tables of the other imports of a kind and edition. */
export async function olderUndoTables(
  runner: QueryRunner,
  kind: string,
  edition: string,
  id: string,
): Promise<Array<{ id: string; undo_table: string }>> {
  return typedQuery<Array<{ id: string; undo_table: string }>>(
    runner,
    `SELECT id::text, undo_table FROM catalog_imports WHERE kind = $1 AND edition = $2 AND id <> $3 AND undo_table IS NOT NULL`,
    [kind, edition, id],
  );
}

export async function forgetUndoTables(runner: QueryRunner, ids: string[]): Promise<void> {
  await runner.query(`UPDATE catalog_imports SET undo_table = NULL WHERE id = ANY($1::bigint[])`, [
    ids,
  ]);
}

export async function markSucceeded(
  runner: QueryRunner,
  id: string,
  summary: ImportSummary,
  undoTable: string | null,
  previousEdition: Record<string, string> | null,
): Promise<void> {
  await runner.query(
    `UPDATE catalog_imports SET status = 'succeeded', phase = 'done', summary = $2, applied_at = now(), finished_at = now(), expires_at = NULL,
            undo_table = $3, previous_edition = $4
      WHERE id = $1`,
    [
      id,
      JSON.stringify(summary),
      undoTable,
      previousEdition ? JSON.stringify(previousEdition) : null,
    ],
  );
}

export async function runningImports(
  runner: QueryRunner,
): Promise<Array<{ id: string; upload_path: string | null }>> {
  return typedQuery<Array<{ id: string; upload_path: string | null }>>(
    runner,
    `SELECT id::text, upload_path FROM catalog_imports WHERE status = 'running'`,
  );
}

/** Fails a run still `running`; false when it had already ended. */
export async function failInterrupted(runner: QueryRunner, id: string): Promise<boolean> {
  const result = await runner.query(
    `UPDATE catalog_imports SET status = 'failed', phase = 'done', finished_at = now(), upload_path = NULL,
            error = '{"line": null, "reason": "interrupted: the server stopped during the import; nothing was changed"}'
      WHERE id = $1 AND status = 'running'`,
    [id],
    true,
  );
  return Boolean(result.affected);
}

export async function previewsDue(runner: QueryRunner, now: Date): Promise<Array<{ id: string }>> {
  return typedQuery<Array<{ id: string }>>(
    runner,
    `SELECT id::text FROM catalog_imports WHERE status = 'preview' AND expires_at < $1`,
    [now],
  );
}

/** Staging tables that no running import or waiting preview owns. */
export async function orphanStagingTables(runner: QueryRunner): Promise<Array<{ name: string }>> {
  return typedQuery<Array<{ name: string }>>(
    runner,
    `SELECT t.tablename AS name FROM pg_tables t
      WHERE t.schemaname = '${IMPORT_WORK_SCHEMA}' AND t.tablename LIKE 'catalog\\_import\\_staging\\_%'
        AND NOT EXISTS (SELECT 1 FROM catalog_imports i WHERE 'catalog_import_staging_' || i.id = t.tablename AND i.status IN ('running', 'preview'))`,
  );
}

export async function saveProgress(
  manager: EntityManager,
  id: string,
  phase: string,
  rowsRead: number,
  bytesRead: number,
): Promise<void> {
  await manager.query(
    'UPDATE catalog_imports SET phase = $2, rows_read = $3, bytes_read = $4 WHERE id = $1 AND status = $5',
    [id, phase, rowsRead, bytesRead, 'running'],
  );
}

export async function markUnchanged(
  manager: EntityManager,
  id: string,
  summary: ImportSummary,
): Promise<void> {
  await manager.query(
    `UPDATE catalog_imports SET status = 'unchanged', phase = 'done', summary = $2, bytes_read = bytes_total, finished_at = now(), upload_path = NULL WHERE id = $1`,
    [id, JSON.stringify(summary)],
  );
}

export async function markPreview(
  runner: QueryRunner,
  id: string,
  preview: ImportPreview,
  base: string | null,
  ttlMs: number,
  rowsRead: number | null,
): Promise<void> {
  await runner.query(
    `UPDATE catalog_imports SET status = 'preview', phase = 'preview', preview = $2, base_applied_id = $3, expires_at = now() + $4 * interval '1 millisecond',
            rows_read = COALESCE($5::int, $6::int), bytes_read = bytes_total, upload_path = NULL
      WHERE id = $1`,
    [id, JSON.stringify(preview), base, ttlMs, rowsRead, preview.rows],
  );
}

/** Ends a waiting preview as cancelled or expired. */
export async function markDropped(
  manager: EntityManager,
  id: string,
  status: 'cancelled' | 'expired',
  error: ImportErrorDetail | null,
): Promise<void> {
  await manager.query(
    `UPDATE catalog_imports SET status = $2, phase = 'done', error = $3, finished_at = now(), expires_at = NULL WHERE id = $1 AND status = 'preview'`,
    [id, status, error ? JSON.stringify(error) : null],
  );
}

/** The last succeeded import of a kind and edition, with whether it was undone. */
export async function lastSucceeded(
  runner: QueryRunner,
  kind: ImportKind,
  edition: string,
): Promise<{ sha256: string; summary: ImportSummary; restored: boolean } | undefined> {
  const rows = await typedQuery<
    Array<{ sha256: string; summary: ImportSummary; restored: boolean }>
  >(
    runner,
    `SELECT sha256, summary, restored_by_import_id IS NOT NULL AS restored FROM catalog_imports
      WHERE kind = $1 AND edition = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1`,
    [kind, edition],
  );
  return rows[0];
}

export async function markFailed(
  manager: EntityManager,
  id: string,
  detail: ImportErrorDetail,
): Promise<void> {
  await manager.query(
    `UPDATE catalog_imports SET status = 'failed', phase = 'done', error = $2, finished_at = now(), upload_path = NULL WHERE id = $1`,
    [id, JSON.stringify(detail)],
  );
}
