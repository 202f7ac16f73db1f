import { Injectable } from '@nestjs/common';
import {
  QUEUE_STATUSES,
  WORKLIST_QUEUES,
  emptyQueueCounts,
  inWorklistQueue,
  type EncounterStatus,
  type WorklistQuery,
  type WorklistQueue,
  type WorklistQueueCounts,
  type WorklistSort,
} from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import {
  ENCOUNTER_JOINS,
  ENCOUNTER_SELECT,
  type EncounterRow,
} from '../encounter/encounter.repository.js';

/** A worklist row as the page query selects it: the summary's columns and the error count. */
export interface WorklistItemRow extends EncounterRow {
  line_count: number;
  error_count: number | null;
}

/** How many charts have one status and one coder (or none). */
interface QueueGroupRow {
  status: EncounterStatus;
  coder_id: string | null;
  charts: number;
}

/** A chart whose stored error count is missing or older than the chart or the catalogue. */
export interface StaleErrorCountRow {
  id: string;
  organization_id: string;
}

/**
 * The expression each sort orders by; each has an index `(organization_id, <expression>, id)`
 * (migration WorklistAtScale), so a page is read in index order.
 */
const SORT_EXPRESSIONS: Readonly<Record<WorklistSort, string>> = {
  updated: 'e.updated_at',
  dateOfService: 'e.date_of_service',
  patient: 'lower(e.patient_name)',
  mrn: 'e.patient_mrn COLLATE "C"',
  provider: 'lower(e.provider_name)',
  status: 'encounter_status_rank(e.status)',
};

/** `%`, `_` and `\` typed into a search match themselves, not any text. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A WHERE clause being built with numbered parameters. */
class Conditions {
  readonly clauses: string[] = [];
  constructor(readonly params: unknown[]) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  sql(): string {
    return this.clauses.join(' AND ');
  }
}

/** The worklist's filters apart from the queue, for `organizationId` and the caller `selfId`. */
function filterConditions(
  organizationId: string,
  selfId: string,
  query: WorklistQuery,
): Conditions {
  const where = new Conditions([]);
  where.add(`e.organization_id = ${where.param(organizationId)}`);
  // Blind copies and practice charts are in no worklist and no count (docs/domain.md 11.2);
  // the worklist's indexes hold claims only, so this costs nothing.
  where.add(`e.purpose = 'claim'`);
  if (query.q) {
    const name = where.param(`%${likeLiteral(query.q)}%`);
    // MRNs are matched as typed and, when that has lower-case letters, in upper case too
    // (`cs-1009` finds `CS-100957`): each a prefix range of the same byte-order index.
    const prefixes = [...new Set([query.q, query.q.toUpperCase()])].map(
      (prefix) => `e.patient_mrn COLLATE "C" LIKE ${where.param(`${likeLiteral(prefix)}%`)}`,
    );
    where.add(`(e.patient_name ILIKE ${name} OR ${prefixes.join(' OR ')})`);
  }
  if (query.status?.length) where.add(`e.status = ANY(${where.param(query.status)}::text[])`);
  if (query.from) where.add(`e.date_of_service >= ${where.param(query.from)}::date`);
  if (query.to) where.add(`e.date_of_service <= ${where.param(query.to)}::date`);
  if (query.provider)
    where.add(`e.provider_name ILIKE ${where.param(`%${likeLiteral(query.provider)}%`)}`);
  for (const [field, column] of [
    ['coder', 'e.coder_id'],
    ['reviewer', 'e.reviewer_id'],
  ] as const) {
    const value = query[field];
    if (value === 'none') where.add(`${column} IS NULL`);
    else if (value) where.add(`${column} = ${where.param(value)}::uuid`);
  }
  if (query.assignee === 'unassigned') where.add('e.coder_id IS NULL');
  else if (query.assignee) {
    const id = where.param(query.assignee === 'me' ? selfId : query.assignee);
    where.add(`(e.coder_id = ${id}::uuid OR e.reviewer_id = ${id}::uuid)`);
  }
  if (query.hasErrors === true) where.add('e.error_count > 0');
  if (query.hasErrors === false) where.add('coalesce(e.error_count, 0) = 0');
  return where;
}

/** The condition of one queue (`inWorklistQueue` in shared, as SQL). */
function queueCondition(where: Conditions, queue: WorklistQueue, selfId: string): string {
  const statuses = QUEUE_STATUSES[queue];
  const clauses =
    queue === 'all' ? ['TRUE'] : [`e.status IN (${statuses.map((s) => `'${s}'`).join(', ')})`];
  if (queue === 'drafts') clauses.push(`e.coder_id = ${where.param(selfId)}::uuid`);
  if (queue === 'unassigned') clauses.push('e.coder_id IS NULL');
  if (queue === 'disputes') clauses.push(ESCALATED);
  return clauses.join(' AND ');
}

/** A chart with a suggestion waiting for a supervisor: few, read from a partial index. */
const ESCALATED = `e.id IN (SELECT s.encounter_id FROM suggestions s WHERE s.status = 'escalated')`;

/**
 * The worklist's reads: one page of charts in a stable order, the queue counts under the same
 * filters, and the stored error counts the "has errors" filter reads (written by
 * `ErrorCountsService` when a chart's findings are computed).
 */
@Injectable()
export class WorklistRepository {
  /**
   * One page: `pageSize` charts after skipping `(page - 1) * pageSize`, ordered by the sort and
   * then the id. The page's ids are found first from the sort's index alone, and only those
   * rows are read with their names and line counts, so a deep page skips index entries, not
   * table rows.
   */
  page(
    manager: EntityManager,
    organizationId: string,
    selfId: string,
    query: WorklistQuery,
  ): Promise<WorklistItemRow[]> {
    const where = filterConditions(organizationId, selfId, query);
    if (query.queue) where.add(queueCondition(where, query.queue, selfId));
    const dir = query.dir === 'asc' ? 'ASC' : 'DESC';
    const key = SORT_EXPRESSIONS[query.sort];
    const limit = where.param(query.pageSize);
    const offset = where.param((query.page - 1) * query.pageSize);
    return manager.query(
      `WITH page AS MATERIALIZED (
         SELECT e.id, row_number() OVER () AS position FROM (
           SELECT e.id FROM encounters e
            WHERE ${where.sql()}
            ORDER BY ${key} ${dir}, e.id ${dir}
            LIMIT ${limit} OFFSET ${offset}) e)
       SELECT ${ENCOUNTER_SELECT}, e.error_count,
              (SELECT count(*)::int FROM claim_lines l WHERE l.encounter_id = e.id) AS line_count
         FROM page JOIN encounters e ON e.id = page.id ${ENCOUNTER_JOINS}
        ORDER BY page.position`,
      where.params,
    );
  }

  /**
   * How many charts each queue holds under the query's filters (its queue and page aside): the
   * charts are counted by status and coder in one pass over an index, and each group is added
   * to the queues it belongs to by `inWorklistQueue`, the rule the client applies to a row.
   */
  async queueCounts(
    manager: EntityManager,
    organizationId: string,
    selfId: string,
    query: WorklistQuery,
  ): Promise<WorklistQueueCounts> {
    const where = filterConditions(organizationId, selfId, query);
    // Grouped by the plain columns, in the order of encounters_wl_queues_idx: one streaming
    // pass over the index, no hashing.
    const groups = await manager.query<QueueGroupRow[]>(
      `SELECT e.status, e.coder_id, count(*)::int AS charts
         FROM encounters e WHERE ${where.sql()}
        GROUP BY e.status, e.coder_id`,
      where.params,
    );
    const counts = emptyQueueCounts();
    for (const group of groups) {
      const coder = group.coder_id ? { id: group.coder_id, name: '' } : null;
      for (const queue of WORKLIST_QUEUES)
        if (inWorklistQueue(queue, { status: group.status, coder }, selfId))
          counts[queue] += group.charts;
    }
    // The groups do not know which charts wait on a supervisor: those are counted apart.
    where.add(queueCondition(where, 'disputes', selfId));
    const [disputes] = await manager.query<{ charts: number }[]>(
      `SELECT count(*)::int AS charts FROM encounters e WHERE ${where.sql()}`,
      where.params,
    );
    counts.disputes = disputes?.charts ?? 0;
    return counts;
  }

  /**
   * Stores a chart's error count as computed at `seq` with catalogue `generation`; an older
   * computation (a slower flush, or one made before a later event) never overwrites a newer
   * one, and an unchanged count is not written again.
   */
  async recordErrorCount(
    manager: EntityManager,
    encounterId: string,
    seq: number,
    generation: number,
    errorCount: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE encounters
          SET error_count = $4, error_count_seq = $2, error_count_generation = $3
        WHERE id = $1
          AND (error_count_seq, coalesce(error_count_generation, -1)) <= ($2, $3::bigint)
          AND (error_count, error_count_seq, error_count_generation) IS DISTINCT FROM ($4, $2, $3::bigint)`,
      [encounterId, seq, generation, errorCount],
    );
  }

  /**
   * Charts whose stored count may be wrong: never computed, computed under another catalogue
   * generation than `generation`, or (with `changedSince`) changed since then after their count
   * was last written. Read after `after` (the last id of the previous batch), so a chart
   * that cannot be computed is not read again in the same sweep.
   */
  staleErrorCounts(
    manager: EntityManager,
    generation: number,
    changedSince: Date | null,
    after: string | null,
    limit: number,
  ): Promise<StaleErrorCountRow[]> {
    return manager.query(
      `SELECT id, organization_id FROM encounters
        WHERE (error_count IS NULL OR error_count_generation IS DISTINCT FROM $1::bigint
               OR (updated_at > $2::timestamptz AND error_count_seq < version))
          AND ($3::uuid IS NULL OR id > $3::uuid)
        ORDER BY id LIMIT $4`,
      [generation, changedSince, after, limit],
    );
  }
}
