import type { ImportKind, ImportPreview } from '@countersign/shared';
import type { QueryRunner } from 'typeorm';
import { typedQuery } from '../../database/typed-query.js';
import { ImportLineError, dataset, type ImportTarget } from './import-format.js';

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
