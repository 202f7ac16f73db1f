import { Injectable } from '@nestjs/common';
import type {
  ClaimLine,
  ClaimLineFields,
  CorrectionCategory,
  DisputeDecision,
  EditsLine,
  ProposedLine,
  CreateEncounter,
  Encounter,
  EncounterStatus,
  EncounterEventType,
  PolicySubject,
  Suggestion,
} from '@countersign/shared';
import { UPDATED_AT_GRAIN_MS } from '@countersign/shared';
import { returningRows } from '../database/returning-rows.js';
import type { SqlRunner } from '../database/live-pool.js';
import { sessionOpenSql } from '../auth/sessions.repository.js';
import { visibleChartSql } from './chart-visibility.js';

/** The columns every encounter read selects, with the assigned people's names. */
export const ENCOUNTER_SELECT = `
  e.id, e.organization_id, e.patient_mrn, e.patient_name, e.patient_dob::text AS patient_dob,
  e.date_of_service::text AS date_of_service, e.provider_name, e.provider_npi, e.place_of_service,
  e.diagnoses, e.status, e.purpose, e.coder_id, c.name AS coder_name, e.reviewer_id, r.name AS reviewer_name,
  e.coded_by::text[] AS coded_by, e.version, e.created_at, e.updated_at`;
export const ENCOUNTER_JOINS = `
  LEFT JOIN users c ON c.id = e.coder_id
  LEFT JOIN users r ON r.id = e.reviewer_id`;

/**
 * How stale `encounters.updated_at` may be while a chart is edited continuously
 * (`UPDATED_AT_GRAIN_MS`, which the fold `applyEncounterEvent` applies the same way, compared to
 * the millisecond as events carry their time). The version bump of an edit leaves it as it is
 * within this grain of the last change, so the update changes no indexed column (`updated_at`
 * keys a worklist index) and Postgres makes it a HOT update: one new row version on the same
 * page and no new entries in the table's sixteen indexes (migration HotEncounterUpdates).
 */
const UPDATED_AT_GRAIN = `interval '${UPDATED_AT_GRAIN_MS} milliseconds'`;

/** Columns of a claim line as every read selects them. */
const LINE_SELECT = `id, code, modifiers, units, pointers, rationale, evidence, origin,
  review_state, review_category, review_comment, reviewed_by, reviewed_by_name, submitted IS NOT NULL AS submitted`;

const EVENT_SELECT = 'encounter_id, seq, type, actor_id, actor_name, payload, op_id, created_at';

/** An encounter row joined with its coder's and reviewer's names, as the read queries select it. */
/** A line as the coder submitted it (its billed fields, pointers as diagnosis letters). */
export interface SubmittedLine {
  id: string;
  submitted: Omit<EditsLine, 'id'>;
}

export interface EncounterRow {
  id: string;
  organization_id: string;
  patient_mrn: string;
  patient_name: string;
  patient_dob: string | Date;
  date_of_service: string | Date;
  provider_name: string;
  provider_npi: string | null;
  place_of_service: string;
  clinical_note?: string;
  diagnoses: string[];
  status: Encounter['status'];
  purpose: Encounter['purpose'];
  coder_id: string | null;
  coder_name: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  coded_by: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
  line_count?: number;
}

export interface LineRow {
  id: string;
  code: string;
  modifiers: string[];
  units: number;
  pointers: ClaimLine['pointers'];
  rationale: string;
  evidence: ClaimLine['evidence'];
  origin: ClaimLine['origin'];
  review_state: ClaimLine['review']['state'];
  review_category: ClaimLine['review']['category'];
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  submitted: boolean;
}

/** A line with what a command on it checks: when it last changed and where it stands. */
export interface TargetLineRow extends LineRow {
  last_seq: number;
  position: number;
  /** The status of a suggestion on the line still waiting for someone, if any. */
  waiting_suggestion: 'open' | 'disputed' | 'escalated' | null;
}

export interface EventRow {
  encounter_id: string;
  seq: number;
  type: string;
  actor_id: string | null;
  actor_name: string;
  payload: unknown;
  op_id: string | null;
  created_at: Date;
}

/** An encounter row as the lock returns it: enough for the policy and the staleness checks. */
export interface LockedHeadRow {
  id: string;
  organization_id: string;
  version: number;
  status: EncounterStatus;
  coder_id: string | null;
  coder_name: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  coded_by: string[];
  diagnoses: string[];
  purpose: Encounter['purpose'];
}

/** Who sends a command: the chart must be visible to them (chart-visibility.ts). */
export interface CommandViewer {
  id: string;
  role: string;
}

/**
 * What a command needs after it holds the row lock, read in one statement (and so from one
 * snapshot taken after the lock): the transaction's timestamp, the previous event's hash, an
 * earlier event with the same opId, the target line or suggestion, and the line count.
 */
export interface CommandReadRow {
  now: Date;
  previous_hash: string | null;
  earlier: (Omit<EventRow, 'created_at'> & { created_at: string; op_hash: string | null }) | null;
  line: TargetLineRow | null;
  suggestion_last_seq: number | null;
  line_count: number;
  /** A double coding of this chart is open (coding or reconciling): the chart is locked. */
  double_coding_open: boolean;
}

/**
 * A write with its own parameters ($1 on), run as a common table expression of the statement
 * that appends the event: it sees the same snapshot and commits with the event.
 */
export interface SqlWrite {
  sql: string;
  params: unknown[];
}

/** What `commandReads` looks up: the chart at its locked version, and the command's targets. */
export interface CommandTarget {
  encounterId: string;
  version: number;
  opId: string | null;
  lineId: string | null;
  suggestionId: string | null;
}

/**
 * The columns of a CommandReadRow, with $1 the encounter, `version` the locked version's SQL,
 * $3 the opId, $4 the line and $5 the suggestion.
 */
function commandReadsSelect(version: string): string {
  return `date_trunc('milliseconds', now()) AS now,
    (SELECT hash FROM encounter_events WHERE encounter_id = $1 AND seq = ${version}) AS previous_hash,
    (SELECT row_to_json(ev) FROM (
       SELECT ${EVENT_SELECT}, op_hash FROM encounter_events
        WHERE $3::uuid IS NOT NULL AND encounter_id = $1 AND op_id = $3::uuid) ev) AS earlier,
    (SELECT row_to_json(l) FROM (
       SELECT ${LINE_SELECT}, last_seq, position,
              (SELECT s.status FROM suggestions s
                WHERE s.encounter_id = $1 AND s.line_id = claim_lines.id
                  AND s.status IN ('open', 'disputed', 'escalated') LIMIT 1) AS waiting_suggestion
         FROM claim_lines
        WHERE $4::uuid IS NOT NULL AND id = $4::uuid AND encounter_id = $1) l) AS line,
    (SELECT greatest(s.last_seq, l.last_seq) FROM suggestions s JOIN claim_lines l ON l.id = s.line_id
      WHERE $5::uuid IS NOT NULL AND s.id = $5::uuid AND s.encounter_id = $1) AS suggestion_last_seq,
    (SELECT count(*)::int FROM claim_lines WHERE encounter_id = $1) AS line_count,
    EXISTS (SELECT 1 FROM double_codings WHERE encounter_id = $1
               AND status IN ('coding', 'reconciling')) AS double_coding_open`;
}

export interface SuggestionRow {
  id: string;
  line_id: string;
  author_id: string | null;
  author_name: string;
  before: Suggestion['before'];
  proposed: Suggestion['proposed'];
  category: Suggestion['category'];
  comment: string;
  status: Suggestion['status'];
  answered_by: string | null;
  answered_by_name: string | null;
  thread_id: string | null;
  created_at: Date;
  escalated_by: string | null;
  escalated_by_name: string | null;
  escalation_comment: string | null;
  escalated_at: Date | null;
  decision: DisputeDecision | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  precedent_id: string | null;
  precedent_number: number | null;
  /** The cited precedent's number and question (null when none is cited). */
  cited_precedent_number: number | null;
  cited_precedent_question: string | null;
}

export interface ThreadRow {
  id: string;
  line_id: string | null;
  suggestion_id: string | null;
  resolved: boolean;
}

export interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string | null;
  author_name: string;
  body: string;
  mentions: string[];
  created_at: Date;
}

export interface AcknowledgementRow {
  finding_id: string;
  reason: string;
  by_id: string | null;
  by_name: string;
  created_at: Date;
}

/** A new event with its chain hash, and what the encounter row takes with it. */
export interface EventInsert {
  encounterId: string;
  seq: number;
  type: EncounterEventType;
  actorId: string;
  actorName: string;
  /** The payload as JSON text, exactly as hashed. */
  payload: string;
  opId: string | null;
  opHash: string | null;
  createdAt: Date;
  hash: string;
}

/**
 * What a line command made from the chart this instance keeps assumed about the chart, its
 * line and the sender (`EncounterRepository.appendOnKept`): the append happens only where all of
 * it still holds under the row lock.
 */
export interface KeptAssumptions {
  organizationId: string;
  /** The chart's version the command was made at, and the hash of its event of that seq. */
  version: number;
  previousHash: string;
  /** The sender: checked against the session's user now (same role and name, session open). */
  viewer: { id: string; role: string; name: string };
  /** With `touch`, the idle clock restarts when it is older than `touchAfterSeconds`. */
  session: { sessionId: string; idleSeconds: number; touch: boolean; touchAfterSeconds: number };
  /** The chart as the command's checks read it (its policy subject, purpose and diagnoses). */
  head: PolicySubject & { purpose: string; diagnoses: readonly string[] };
  /** The target line as the command read it; it must not have changed after `baseVersion`. */
  line: ClaimLine & { baseVersion: number };
}

/** Header columns a `PATCH` may set. */
export type EncounterColumns = Partial<{
  patient_mrn: string;
  patient_name: string;
  patient_dob: string;
  date_of_service: string;
  provider_name: string;
  provider_npi: string | null;
  place_of_service: string;
  clinical_note: string;
  diagnoses: string[];
  coder_id: string | null;
  reviewer_id: string | null;
}>;

/**
 * The bump of encounter `id` to the event's `seq` (the actor joins `coded_by` when the event
 * writes lines; `updated_at` moves at most every UPDATED_AT_GRAIN), its arguments placeholders,
 * `guard` added to its condition.
 */
function bumpSql(
  at: { id: string; seq: string; writesLines: string; actorId: string },
  guard = '',
): string {
  return `UPDATE encounters SET version = ${at.seq},
                updated_at = CASE
                  WHEN date_trunc('milliseconds', now()) - date_trunc('milliseconds', updated_at) < ${UPDATED_AT_GRAIN}
                  THEN updated_at ELSE now() END,
                coded_by = CASE WHEN ${at.writesLines} AND NOT ${at.actorId}::uuid = ANY(coded_by)
                                THEN array_append(coded_by, ${at.actorId}::uuid) ELSE coded_by END
          WHERE id = ${at.id}${guard}`;
}

/** A write handed to an append statement, its placeholders numbered after the `offset` before it. */
function renumbered(write: SqlWrite, offset: number): string {
  return write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/**
 * The SQL of the encounter aggregate: encounters, their claim lines and their event log. Raw
 * SQL behind typed functions, because this is the live edit path and its statement count is
 * measured (server/test/encounter/edit-statements.int-spec.ts). Every function takes the
 * caller's SqlRunner, so it runs inside the caller's transaction.
 */
@Injectable()
export class EncounterRepository {
  /**
   * Locks the encounter row (scoped to the organization) and reads what a command checks, in one
   * statement; null when the organization has no such encounter. The reads come from the
   * statement's snapshot, taken before the lock was granted: they hold only when no transaction
   * committed a change to the chart meanwhile, which every change does by bumping the version
   * under this lock. So `reads` is null when the version the snapshot saw is not the locked one
   * (the lock waited for another writer), and the caller reads again with `commandReads`.
   */
  async lockAndRead(
    tx: SqlRunner,
    organizationId: string,
    target: Omit<CommandTarget, 'version'>,
    viewer: CommandViewer,
  ): Promise<{ head: LockedHeadRow; reads: CommandReadRow | null } | null> {
    // A chart the sender may not see is locked by no one and answered as one that does not exist.
    const [row] = await tx.query<Array<LockedHeadRow & CommandReadRow & { fresh: boolean }>>(
      `WITH locked AS (
         SELECT e.id, e.organization_id, e.version, e.status, e.coder_id, c.name AS coder_name,
                e.reviewer_id, r.name AS reviewer_name, e.coded_by::text[] AS coded_by, e.diagnoses,
                e.purpose
           FROM encounters e ${ENCOUNTER_JOINS}
          WHERE e.id = $1 AND e.organization_id = $2 AND ${visibleChartSql('$6', '$7')}
            FOR UPDATE OF e)
       SELECT locked.*, (SELECT version FROM encounters WHERE id = $1) = locked.version AS fresh,
              ${commandReadsSelect('locked.version')}
         FROM locked`,
      [
        target.encounterId,
        organizationId,
        target.opId,
        target.lineId,
        target.suggestionId,
        viewer.id,
        viewer.role,
      ],
    );
    if (!row) return null;
    const {
      fresh,
      now,
      previous_hash,
      earlier,
      line,
      suggestion_last_seq,
      line_count,
      double_coding_open,
      ...head
    } = row;
    return {
      head,
      reads: fresh
        ? { now, previous_hash, earlier, line, suggestion_last_seq, line_count, double_coding_open }
        : null,
    };
  }

  /** The transaction's timestamp to the millisecond, the precision an event's hash covers. */
  async clock(tx: SqlRunner): Promise<Date> {
    const [row] = await tx.query<Array<{ now: Date }>>(
      `SELECT date_trunc('milliseconds', now()) AS now`,
    );
    return row!.now;
  }

  /** What a command checks, once the lock is held (see CommandReadRow). */
  async commandReads(tx: SqlRunner, target: CommandTarget): Promise<CommandReadRow> {
    const [row] = await tx.query<CommandReadRow[]>(`SELECT ${commandReadsSelect('$2')}`, [
      target.encounterId,
      target.version,
      target.opId,
      target.lineId,
      target.suggestionId,
    ]);
    return row!;
  }

  /**
   * Bumps the encounter to the event's seq (adding the actor to `coded_by` when the event writes
   * lines) and appends the event, in one statement.
   */
  async appendEvent(
    tx: SqlRunner,
    event: EventInsert,
    bump: { writesLines: boolean } | null,
    alongside: readonly SqlWrite[] = [],
  ): Promise<EventRow> {
    const insert = `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, op_id, op_hash, created_at, hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${EVENT_SELECT}`;
    const params: unknown[] = [
      event.encounterId,
      event.seq,
      event.type,
      event.actorId,
      event.actorName,
      event.payload,
      event.opId,
      event.opHash,
      event.createdAt,
      event.hash,
    ];
    const ctes: string[] = [];
    if (bump) {
      params.push(bump.writesLines);
      ctes.push(
        `bumped AS (${bumpSql({ id: '$1', seq: '$2', writesLines: '$11', actorId: '$4' })})`,
      );
    }
    for (const write of alongside) {
      ctes.push(`w${ctes.length} AS (${renumbered(write, params.length)})`);
      params.push(...write.params);
    }
    const rows: EventRow[] = await tx.query(
      ctes.length ? `WITH ${ctes.join(',\n')}\n${insert}` : insert,
      params,
    );
    return rows[0]!;
  }

  /**
   * A line command in one statement, made from the chart this instance keeps (see
   * `EncounterWriter.runOnLine`): locks the encounter row only where everything `assumed` still
   * holds (the version and the previous event's hash, the columns the checks read, the target
   * line unchanged since `baseVersion` with no suggestion waiting on it, no double coding open,
   * the opId unused, the sender's session open with the same role and name), and only then
   * bumps the version, runs `alongside` (each an `UPDATE ... WHERE`, given the same condition),
   * restarts the session's idle clock when due and appends the event. Null when a condition
   * failed: then nothing was written, and the caller takes the path that reads under the lock.
   * Under READ COMMITTED a lock that waited re-checks the row's conditions on the row as
   * committed; every change to a chart bumps its version, so a version still equal after the
   * wait means the statement's snapshot of the other tables is still the chart's state.
   */
  async appendOnKept(
    tx: SqlRunner,
    event: EventInsert,
    assumed: KeptAssumptions,
    writesLines: boolean,
    alongside: readonly SqlWrite[],
  ): Promise<EventRow | null> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const id = p(event.encounterId);
    const { head, line, viewer, session } = assumed;
    const viewerId = p(viewer.id);
    const role = p(viewer.role);
    const version = p(assumed.version);
    const createdAt = p(event.createdAt);
    const codedBy = p(head.codedBy);
    const sessionId = p(session.sessionId);
    const ok = `ok AS (
         SELECT e.id FROM encounters e
          WHERE e.id = ${id} AND e.organization_id = ${p(assumed.organizationId)}
            AND e.version = ${version}
            AND ${visibleChartSql(viewerId, role)}
            AND e.status = ${p(head.status)}
            AND e.coder_id IS NOT DISTINCT FROM ${p(head.coder?.id ?? null)}::uuid
            AND e.reviewer_id IS NOT DISTINCT FROM ${p(head.reviewer?.id ?? null)}::uuid
            AND e.coded_by @> ${codedBy}::uuid[] AND e.coded_by <@ ${codedBy}::uuid[]
            AND e.purpose = ${p(head.purpose)}
            AND cardinality(e.diagnoses) = ${p(head.diagnoses.length)}
            AND EXISTS (SELECT 1 FROM encounter_events pe
                         WHERE pe.encounter_id = ${id} AND pe.seq = ${version}
                           AND pe.hash = ${p(assumed.previousHash)} AND pe.created_at <= ${createdAt})
            -- The event's time is the app's clock: within a second of the database's.
            AND abs(extract(epoch FROM ${createdAt}::timestamptz - now())) < 1
            AND EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                         WHERE s.id = ${sessionId} AND s.user_id = ${viewerId} AND u.role = ${role}
                           AND u.name = ${p(viewer.name)} AND ${sessionOpenSql(p(session.idleSeconds))})
            AND NOT EXISTS (SELECT 1 FROM encounter_events oe
                             WHERE oe.encounter_id = ${id} AND oe.op_id = ${p(event.opId)}::uuid)
            AND EXISTS (SELECT 1 FROM claim_lines l
                         WHERE l.id = ${p(line.id)}::uuid AND l.encounter_id = ${id}
                           AND l.last_seq <= ${p(line.baseVersion)}
                           AND l.code = ${p(line.code)} AND l.modifiers = ${p(line.modifiers)}::text[]
                           AND l.units = ${p(line.units)} AND l.pointers = ${p(line.pointers)}::text[]
                           AND l.rationale IS NOT DISTINCT FROM ${p(line.rationale)}::text
                           AND l.evidence IS NOT DISTINCT FROM ${p(line.evidence && JSON.stringify(line.evidence))}::jsonb
                           AND l.origin = ${p(line.origin)} AND (l.submitted IS NOT NULL) = ${p(line.submitted)}
                           AND NOT EXISTS (SELECT 1 FROM suggestions sg
                                            WHERE sg.encounter_id = ${id} AND sg.line_id = l.id
                                              AND sg.status IN ('open', 'disputed', 'escalated')))
            AND NOT EXISTS (SELECT 1 FROM double_codings dc
                             WHERE dc.encounter_id = ${id} AND dc.status IN ('coding', 'reconciling'))
            FOR UPDATE OF e)`;
    const seq = p(event.seq);
    const actorId = p(event.actorId);
    const guard = ' AND EXISTS (SELECT 1 FROM ok)';
    const ctes = [
      ok,
      `touched AS (
         UPDATE sessions SET last_activity_at = now()
          WHERE id = ${sessionId} AND ${p(session.touch)}
            AND last_activity_at < now() - make_interval(secs => ${p(session.touchAfterSeconds)})${guard})`,
      `bumped AS (${bumpSql({ id, seq, writesLines: p(writesLines), actorId }, guard)})`,
    ];
    for (const write of alongside) {
      // Guarded by wrapping its whole condition: `UPDATE ... WHERE (condition) AND EXISTS (ok)`.
      const sql = renumbered(write, params.length);
      const where = [...sql.matchAll(/\bWHERE\b/gi)].at(-1)?.index;
      if (!/^\s*UPDATE\b/i.test(sql) || where === undefined || /\bRETURNING\b|;/i.test(sql))
        throw new Error('A write alongside a kept-chart append must be one UPDATE ... WHERE');
      ctes.push(
        `w${ctes.length} AS (${sql.slice(0, where)}WHERE (${sql.slice(where + 'WHERE'.length)})${guard})`,
      );
      params.push(...write.params);
    }
    const rows: EventRow[] = await tx.query(
      `WITH ${ctes.join(',\n')}
       INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, op_id, op_hash, created_at, hash)
       SELECT ${id}::uuid, ${seq}::int, ${p(event.type)}::text, ${actorId}::uuid, ${p(event.actorName)}::text,
              ${p(event.payload)}::jsonb, ${p(event.opId)}::uuid, ${p(event.opHash)}::text,
              ${p(event.createdAt)}::timestamptz, ${p(event.hash)}::text
        WHERE EXISTS (SELECT 1 FROM ok)
       RETURNING ${EVENT_SELECT}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** Events after `afterSeq`, in order. */
  eventsAfter(
    manager: SqlRunner,
    encounterId: string,
    afterSeq: number,
    limit: number,
  ): Promise<EventRow[]> {
    return manager.query(
      `SELECT ${EVENT_SELECT} FROM encounter_events WHERE encounter_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [encounterId, afterSeq, limit],
    );
  }

  async exists(manager: SqlRunner, organizationId: string, encounterId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT 1 FROM encounters WHERE id = $1 AND organization_id = $2',
      [encounterId, organizationId],
    );
    return rows.length > 0;
  }

  /** The encounter row with its note, or null when the organization has no such encounter. */
  async header(
    manager: SqlRunner,
    organizationId: string,
    encounterId: string,
  ): Promise<EncounterRow | null> {
    const rows: EncounterRow[] = await manager.query(
      `SELECT ${ENCOUNTER_SELECT}, e.clinical_note FROM encounters e ${ENCOUNTER_JOINS}
        WHERE e.id = $1 AND e.organization_id = $2`,
      [encounterId, organizationId],
    );
    return rows[0] ?? null;
  }

  lines(manager: SqlRunner, encounterId: string): Promise<LineRow[]> {
    return manager.query(
      `SELECT ${LINE_SELECT} FROM claim_lines WHERE encounter_id = $1 ORDER BY position`,
      [encounterId],
    );
  }

  suggestions(manager: SqlRunner, encounterId: string): Promise<SuggestionRow[]> {
    return manager.query(
      `SELECT id, line_id, author_id, author_name, before, proposed, category, comment, status,
              answered_by, answered_by_name, thread_id, created_at, escalated_by, escalated_by_name,
              escalation_comment, escalated_at, decision, decision_reason, decided_by, decided_by_name,
              decided_at, precedent_id, precedent_number,
              (SELECT p.number FROM precedents p WHERE p.id = cited_precedent_id) AS cited_precedent_number,
              (SELECT p.question FROM precedents p WHERE p.id = cited_precedent_id) AS cited_precedent_question
         FROM suggestions WHERE encounter_id = $1 ORDER BY created_seq, id`,
      [encounterId],
    );
  }

  threads(manager: SqlRunner, encounterId: string): Promise<ThreadRow[]> {
    return manager.query(
      'SELECT id, line_id, suggestion_id, resolved FROM comment_threads WHERE encounter_id = $1 ORDER BY created_seq, id',
      [encounterId],
    );
  }

  comments(manager: SqlRunner, encounterId: string): Promise<CommentRow[]> {
    return manager.query(
      `SELECT c.id, c.thread_id, c.author_id, c.author_name, c.body, c.mentions, c.created_at
         FROM comments c JOIN comment_threads t ON t.id = c.thread_id
        WHERE t.encounter_id = $1 ORDER BY c.created_seq, c.id`,
      [encounterId],
    );
  }

  acknowledgements(manager: SqlRunner, encounterId: string): Promise<AcknowledgementRow[]> {
    return manager.query(
      'SELECT finding_id, reason, by_id, by_name, created_at FROM finding_acknowledgements WHERE encounter_id = $1 ORDER BY created_seq, finding_id',
      [encounterId],
    );
  }

  /** Inserts a new encounter at version 1 and returns its id. */
  async insertEncounter(
    tx: SqlRunner,
    organizationId: string,
    input: CreateEncounter,
    status: EncounterStatus,
    codedBy: string[],
  ): Promise<string> {
    const [row] = await tx.query<Array<{ id: string }>>(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                               provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id, coded_by, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)
       RETURNING id`,
      [...headerValues(organizationId, input), status, input.coderId, input.reviewerId, codedBy],
    );
    return row!.id;
  }

  /**
   * Inserts an imported encounter unless the organization already has the one of this source
   * (the unique index on organization, source system and source id): null then, nothing written.
   */
  async insertImportedEncounter(
    tx: SqlRunner,
    organizationId: string,
    input: CreateEncounter,
    source: { system: string; id: string },
  ): Promise<string | null> {
    const rows = await tx.query<Array<{ id: string }>>(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                               provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id,
                               coded_by, version, source_system, source_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, '{}', 1, $13, $14)
       ON CONFLICT (organization_id, source_system, source_id) WHERE source_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        ...headerValues(organizationId, input),
        input.coderId,
        input.reviewerId,
        source.system,
        source.id,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /** The organization's encounters imported from any of `sources`, keyed `system` NUL `id`. */
  async idsBySource(
    manager: SqlRunner,
    organizationId: string,
    sources: ReadonlyArray<{ system: string; id: string }>,
  ): Promise<Map<string, string>> {
    if (sources.length === 0) return new Map();
    const rows = await manager.query<
      Array<{ id: string; source_system: string; source_id: string }>
    >(
      `SELECT e.id, e.source_system, e.source_id
         FROM encounters e
         JOIN unnest($2::text[], $3::text[]) AS s(system, id)
           ON e.source_system = s.system AND e.source_id = s.id
        WHERE e.organization_id = $1`,
      [organizationId, sources.map((s) => s.system), sources.map((s) => s.id)],
    );
    return new Map(rows.map((r) => [sourceKey(r.source_system, r.source_id), r.id]));
  }

  /** Sets header columns of an encounter (its version moves with the event, in appendEvent). */
  async updateEncounter(
    tx: SqlRunner,
    encounterId: string,
    columns: EncounterColumns,
  ): Promise<void> {
    const names = Object.keys(columns) as Array<keyof EncounterColumns>;
    await tx.query(
      `UPDATE encounters SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
      [encounterId, ...names.map((c) => columns[c])],
    );
  }

  /** For review: the chart's workflow state. */
  async setStatus(tx: SqlRunner, encounterId: string, status: EncounterStatus): Promise<void> {
    await tx.query('UPDATE encounters SET status = $2 WHERE id = $1', [encounterId, status]);
  }

  /** When the chart was first submitted: a resubmission keeps it, so turnaround counts from there. */
  async stampSubmitted(tx: SqlRunner, encounterId: string): Promise<void> {
    await tx.query(
      'UPDATE encounters SET submitted_at = COALESCE(submitted_at, now()) WHERE id = $1',
      [encounterId],
    );
  }

  /**
   * When the chart was (last) approved; an earlier sign-off no longer stands. Answers what the
   * approval's quality facts need from the row.
   */
  async stampApproved(
    tx: SqlRunner,
    encounterId: string,
  ): Promise<{ approvedAt: Date; submittedAt: Date | null; providerNpi: string | null }> {
    const result: unknown = await tx.query(
      `UPDATE encounters SET approved_at = now(), signed_off_at = NULL WHERE id = $1
       RETURNING approved_at, submitted_at, provider_npi`,
      [encounterId],
    );
    const [row] = returningRows<{
      approved_at: Date;
      submitted_at: Date | null;
      provider_npi: string | null;
    }>(result);
    return {
      approvedAt: row!.approved_at,
      submittedAt: row!.submitted_at,
      providerNpi: row!.provider_npi,
    };
  }

  /** When the chart was signed off; answers it. */
  async stampSignedOff(tx: SqlRunner, encounterId: string): Promise<Date> {
    const result: unknown = await tx.query(
      'UPDATE encounters SET signed_off_at = now() WHERE id = $1 RETURNING signed_off_at',
      [encounterId],
    );
    return returningRows<{ signed_off_at: Date }>(result)[0]!.signed_off_at;
  }

  /** For review: the reviewer who picked the chart up. */
  async setReviewer(tx: SqlRunner, encounterId: string, reviewerId: string): Promise<void> {
    await tx.query('UPDATE encounters SET reviewer_id = $2 WHERE id = $1', [
      encounterId,
      reviewerId,
    ]);
  }

  /** Makes room at `position` by moving the lines from there one down. */
  async shiftLinesDown(tx: SqlRunner, encounterId: string, position: number): Promise<void> {
    await tx.query(
      'UPDATE claim_lines SET position = position + 1 WHERE encounter_id = $1 AND position >= $2',
      [encounterId, position],
    );
  }

  /** Inserts a line and returns it as reads select it. */
  async insertLine(
    tx: SqlRunner,
    line: {
      encounterId: string;
      position: number;
      fields: ClaimLineFields;
      origin: ClaimLine['origin'];
      review: ClaimLine['review'];
      seq: number;
    },
  ): Promise<LineRow> {
    const { fields, review } = line;
    const [row] = await tx.query<LineRow[]>(
      `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, rationale, evidence, origin,
                                review_state, review_category, review_comment, reviewed_by, reviewed_by_name, last_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${LINE_SELECT}`,
      [
        line.encounterId,
        line.position,
        fields.code,
        fields.modifiers,
        fields.units,
        fields.pointers,
        fields.rationale,
        fields.evidence && JSON.stringify(fields.evidence),
        line.origin,
        review.state,
        review.category,
        review.comment,
        review.by?.id ?? null,
        review.by?.name ?? null,
        line.seq,
      ],
    );
    return row!;
  }

  /** A coder's change to a line's fields; it goes back to pending review. */
  /**
   * The update of a line's fields by the event `seq`, as a statement for `appendEvent` to run
   * with the event (a line command's only write, so the edit costs no statement of its own).
   */
  lineFieldsUpdate(
    encounterId: string,
    line: ClaimLineFields & { id: string },
    seq: number,
  ): SqlWrite {
    return {
      sql: `UPDATE claim_lines SET code = $3, modifiers = $4, units = $5, pointers = $6, rationale = $7, evidence = $8,
              review_state = 'pending', review_category = NULL, review_comment = NULL, reviewed_by = NULL,
              reviewed_by_name = NULL, last_seq = $9, updated_at = now()
        WHERE id = $1 AND encounter_id = $2`,
      params: [
        line.id,
        encounterId,
        line.code,
        line.modifiers,
        line.units,
        line.pointers,
        line.rationale,
        line.evidence && JSON.stringify(line.evidence),
        seq,
      ],
    };
  }

  /** Deletes a line and closes the gap it leaves, in one statement. */
  async deleteLine(
    tx: SqlRunner,
    encounterId: string,
    lineId: string,
    position: number,
  ): Promise<void> {
    await tx.query(
      `WITH removed AS (DELETE FROM claim_lines WHERE id = $1 AND encounter_id = $2)
       UPDATE claim_lines SET position = position - 1 WHERE encounter_id = $2 AND position > $3`,
      [lineId, encounterId, position],
    );
  }

  async setLinePointers(
    tx: SqlRunner,
    lineId: string,
    pointers: ClaimLine['pointers'],
    seq: number,
  ): Promise<void> {
    await tx.query('UPDATE claim_lines SET pointers = $2, last_seq = $3 WHERE id = $1', [
      lineId,
      pointers,
      seq,
    ]);
  }

  /** Keeps what the coder submitted for each line not yet submitted: accuracy is measured against it. */
  async markSubmitted(tx: SqlRunner, encounterId: string): Promise<void> {
    await tx.query(
      `UPDATE claim_lines SET submitted = jsonb_build_object('code', code, 'modifiers', to_jsonb(modifiers), 'units', units,
              'pointers', to_jsonb(pointers)) WHERE encounter_id = $1 AND submitted IS NULL`,
      [encounterId],
    );
  }

  /** For review: what the coder submitted for each line of the chart (null if never). */
  async submittedLines(
    tx: SqlRunner,
    encounterId: string,
  ): Promise<Map<string, ProposedLine | null>> {
    const rows = await tx.query<Array<{ id: string; submitted: ProposedLine | null }>>(
      'SELECT id, submitted FROM claim_lines WHERE encounter_id = $1',
      [encounterId],
    );
    return new Map(rows.map((row) => [row.id, row.submitted]));
  }

  /** For review: the coder's submitted lines in chart order, for the dollar impact. */
  coderSubmittedLines(manager: SqlRunner, encounterId: string): Promise<SubmittedLine[]> {
    return manager.query<SubmittedLine[]>(
      `SELECT id, submitted FROM claim_lines WHERE encounter_id = $1 AND origin = 'coder' AND submitted IS NOT NULL ORDER BY position`,
      [encounterId],
    );
  }

  /** For review: a line's review state. */
  async setLineReview(
    tx: SqlRunner,
    lineId: string,
    review: ClaimLine['review'],
    seq: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE claim_lines SET review_state = $2, review_category = $3, review_comment = $4, reviewed_by = $5, reviewed_by_name = $6,
              last_seq = $7, updated_at = now() WHERE id = $1`,
      [
        lineId,
        review.state,
        review.category,
        review.comment,
        review.by?.id ?? null,
        review.by?.name ?? null,
        seq,
      ],
    );
  }

  /** For review: an accepted suggestion's fields go on the line, reviewed by its author. */
  async applySuggestionToLine(
    tx: SqlRunner,
    line: ClaimLine,
    suggestion: { category: CorrectionCategory; author: { id: string; name: string } },
    seq: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE claim_lines SET code = $2, modifiers = $3, units = $4, pointers = $5, review_state = 'accepted',
              review_category = $6, review_comment = $7, reviewed_by = $8, reviewed_by_name = $9, last_seq = $10, updated_at = now()
        WHERE id = $1`,
      [
        line.id,
        line.code,
        line.modifiers,
        line.units,
        line.pointers,
        suggestion.category,
        line.review.comment,
        suggestion.author.id || null,
        suggestion.author.name,
        seq,
      ],
    );
  }
}

/** The key of a source pair in maps: the two parts cannot run into each other. */
export function sourceKey(system: string, id: string): string {
  return `${system}\u0000${id}`;
}

/** The first ten values of an encounter INSERT: organization, patient, service, provider, note, diagnoses. */
function headerValues(organizationId: string, input: CreateEncounter): unknown[] {
  return [
    organizationId,
    input.patient.mrn,
    input.patient.name,
    input.patient.dateOfBirth,
    input.dateOfService,
    input.provider.name,
    input.provider.npi,
    input.placeOfService,
    input.clinicalNote,
    input.diagnoses,
  ];
}
