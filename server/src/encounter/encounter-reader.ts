import type { ClaimLine, Comment, Encounter, Thread } from '@countersign/shared';
import type { SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';
import { toEncounter } from './encounter.mapper.js';
import type {
  AcknowledgementRow,
  CommentRow,
  EncounterRepository,
  LineRow,
  SuggestionRow,
  ThreadRow,
} from './encounter.repository.js';

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
 * member joins with. Scoped to the organization; anything else is `not_found`. The reads go
 * one after another: one connection runs one statement at a time anyway.
 */
export async function readEncounter(
  repository: EncounterRepository,
  manager: SqlRunner,
  organizationId: string,
  encounterId: string,
): Promise<Encounter> {
  const row = await repository.header(manager, organizationId, encounterId);
  if (!row) throw DomainError.notFound('The encounter');
  const lines = (await repository.lines(manager, encounterId)).map(toClaimLine);
  const suggestions = (await repository.suggestions(manager, encounterId)).map(toSuggestion);
  const threadRows = await repository.threads(manager, encounterId);
  const threads = threadRows.length
    ? toThreads(threadRows, await repository.comments(manager, encounterId))
    : [];
  const acknowledgements = (await repository.acknowledgements(manager, encounterId)).map(
    toAcknowledgement,
  );
  return toEncounter(row, lines, suggestions, threads, acknowledgements);
}

function toSuggestion(r: SuggestionRow): Encounter['suggestions'][number] {
  return {
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
    escalation:
      r.escalated_by_name && r.escalated_at
        ? {
            by: { id: r.escalated_by ?? '', name: r.escalated_by_name },
            comment: r.escalation_comment ?? '',
            at: r.escalated_at.toISOString(),
          }
        : null,
    decision:
      r.decision && r.decided_by_name && r.decided_at
        ? {
            decision: r.decision,
            reason: r.decision_reason ?? '',
            by: { id: r.decided_by ?? '', name: r.decided_by_name },
            at: r.decided_at.toISOString(),
          }
        : null,
    precedent:
      r.precedent_id && r.precedent_number !== null
        ? { id: r.precedent_id, number: r.precedent_number }
        : null,
    citedPrecedent:
      r.cited_precedent_number === null
        ? null
        : { number: r.cited_precedent_number, question: r.cited_precedent_question ?? '' },
  };
}

function toThreads(threads: ThreadRow[], comments: CommentRow[]): Thread[] {
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

function toAcknowledgement(r: AcknowledgementRow): Encounter['acknowledgements'][number] {
  return {
    findingId: r.finding_id,
    reason: r.reason,
    by: { id: r.by_id ?? '', name: r.by_name },
    at: r.created_at.toISOString(),
  };
}
