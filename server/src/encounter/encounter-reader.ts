import type {
  Acknowledgement,
  ClaimLine,
  Comment,
  Encounter,
  Suggestion,
  Thread,
} from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import {
  ENCOUNTER_JOINS,
  ENCOUNTER_SELECT,
  toEncounter,
  type EncounterRow,
} from './encounter.mapper.js';

/** Columns of a claim line as every read selects them. */
const LINE_SELECT = `id, code, modifiers, units, pointers, rationale, evidence, origin,
  review_state, review_category, review_comment, reviewed_by, reviewed_by_name, submitted IS NOT NULL AS submitted`;

interface LineRow {
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

export function toClaimLine(row: LineRow): ClaimLine {
  return {
    id: row.id,
    code: row.code,
    modifiers: [...row.modifiers],
    units: row.units,
    pointers: [...row.pointers],
    rationale: row.rationale,
    evidence: row.evidence,
    origin: row.origin,
    review: {
      state: row.review_state,
      category: row.review_category,
      comment: row.review_comment,
      by:
        row.reviewed_by && row.reviewed_by_name
          ? { id: row.reviewed_by, name: row.reviewed_by_name }
          : null,
    },
    submitted: row.submitted,
  };
}

/**
 * The encounter as it stands, with lines, suggestions and threads: the live state a room
 * member joins with. Scoped to the organization; anything else is `not_found`.
 */
export async function readEncounter(
  manager: EntityManager,
  organizationId: string,
  encounterId: string,
): Promise<Encounter> {
  const rows: EncounterRow[] = await manager.query(
    `SELECT ${ENCOUNTER_SELECT}, e.clinical_note FROM encounters e ${ENCOUNTER_JOINS}
      WHERE e.id = $1 AND e.organization_id = $2`,
    [encounterId, organizationId],
  );
  const row = rows[0];
  if (!row) throw DomainError.notFound('The encounter');
  const [lines, suggestions, threads, acknowledgements] = await Promise.all([
    readLines(manager, encounterId),
    readSuggestions(manager, encounterId),
    readThreads(manager, encounterId),
    readAcknowledgements(manager, encounterId),
  ]);
  return toEncounter(row, lines, suggestions, threads, acknowledgements);
}

export async function readLines(manager: EntityManager, encounterId: string): Promise<ClaimLine[]> {
  const rows: LineRow[] = await manager.query(
    `SELECT ${LINE_SELECT} FROM claim_lines WHERE encounter_id = $1 ORDER BY position`,
    [encounterId],
  );
  return rows.map(toClaimLine);
}

async function readSuggestions(manager: EntityManager, encounterId: string): Promise<Suggestion[]> {
  const rows: Array<{
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
  }> = await manager.query(
    `SELECT * FROM suggestions WHERE encounter_id = $1 ORDER BY created_seq, id`,
    [encounterId],
  );
  return rows.map((r) => ({
    id: r.id,
    lineId: r.line_id,
    author: { id: r.author_id ?? '', name: r.author_name },
    before: r.before,
    proposed: r.proposed,
    category: r.category,
    comment: r.comment,
    status: r.status,
    answeredBy: r.answered_by_name ? { id: r.answered_by ?? '', name: r.answered_by_name } : null,
    threadId: r.thread_id,
    createdAt: r.created_at.toISOString(),
  }));
}

async function readThreads(manager: EntityManager, encounterId: string): Promise<Thread[]> {
  const threads: Array<{
    id: string;
    line_id: string | null;
    suggestion_id: string | null;
    resolved: boolean;
  }> = await manager.query(
    `SELECT id, line_id, suggestion_id, resolved FROM comment_threads WHERE encounter_id = $1 ORDER BY created_seq, id`,
    [encounterId],
  );
  if (threads.length === 0) return [];
  const comments: Array<{
    id: string;
    thread_id: string;
    author_id: string | null;
    author_name: string;
    body: string;
    mentions: string[];
    created_at: Date;
  }> = await manager.query(
    `SELECT c.* FROM comments c JOIN comment_threads t ON t.id = c.thread_id WHERE t.encounter_id = $1 ORDER BY c.created_seq, c.id`,
    [encounterId],
  );
  const byThread = new Map<string, Comment[]>();
  for (const c of comments) {
    const list = byThread.get(c.thread_id) ?? [];
    list.push({
      id: c.id,
      author: { id: c.author_id ?? '', name: c.author_name },
      body: c.body,
      mentions: c.mentions,
      at: c.created_at.toISOString(),
    });
    byThread.set(c.thread_id, list);
  }
  return threads.map((t) => ({
    id: t.id,
    lineId: t.line_id,
    suggestionId: t.suggestion_id,
    resolved: t.resolved,
    comments: byThread.get(t.id) ?? [],
  }));
}

async function readAcknowledgements(
  manager: EntityManager,
  encounterId: string,
): Promise<Acknowledgement[]> {
  const rows: Array<{
    finding_id: string;
    reason: string;
    by_id: string | null;
    by_name: string;
    created_at: Date;
  }> = await manager.query(
    'SELECT finding_id, reason, by_id, by_name, created_at FROM finding_acknowledgements WHERE encounter_id = $1 ORDER BY created_seq, finding_id',
    [encounterId],
  );
  return rows.map((r) => ({
    findingId: r.finding_id,
    reason: r.reason,
    by: { id: r.by_id ?? '', name: r.by_name },
    at: r.created_at.toISOString(),
  }));
}
