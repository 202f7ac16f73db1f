import { Injectable } from '@nestjs/common';
import type {
  Precedent,
  PrecedentEdit,
  CitedPrecedent,
  PrecedentRevision,
  PrecedentSearchQuery,
  PrecedentSettlement,
  PrecedentStatus,
  UserRef,
} from '@countersign/shared';
import type { SqlRunner } from '../database/live-pool.js';

/** A precedent as a settlement records it, inside the settling command's transaction. */
export interface NewPrecedent {
  organizationId: string;
  question: string;
  codes: string[];
  modifiers: string[];
  decision: string;
  reasoning: string;
  settledHow: PrecedentSettlement;
  sourceEncounterId: string;
  sourceSuggestionId: string;
  decidedBy: UserRef;
}

/**
 * Records a precedent with the organization's next number. The number comes from the highest
 * so far under a per-organization advisory lock, so two settlements at once never share one;
 * a suggestion settles into at most one precedent (the second insert returns null).
 */
export async function insertPrecedent(
  tx: SqlRunner,
  p: NewPrecedent,
): Promise<{ id: string; number: number } | null> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('precedents:' || $1))`, [p.organizationId]);
  const rows = await tx.query<{ id: string; number: number }[]>(
    `INSERT INTO precedents (organization_id, number, question, codes, modifiers, decision, reasoning,
       settled_how, source_encounter_id, source_suggestion_id, decided_by, decided_by_name)
     SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
       FROM precedents WHERE organization_id = $1
     ON CONFLICT (source_suggestion_id) DO NOTHING
     RETURNING id, number`,
    [
      p.organizationId,
      p.question,
      p.codes,
      p.modifiers,
      p.decision,
      p.reasoning,
      p.settledHow,
      p.sourceEncounterId,
      p.sourceSuggestionId,
      p.decidedBy.id,
      p.decidedBy.name,
    ],
  );
  return rows[0] ?? null;
}

interface PrecedentRow {
  id: string;
  number: number;
  question: string;
  codes: string[];
  modifiers: string[];
  decision: string;
  reasoning: string;
  settled_how: PrecedentSettlement;
  source_encounter_id: string | null;
  source_suggestion_id: string | null;
  decided_by: string | null;
  decided_by_name: string;
  status: PrecedentStatus;
  retired_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

interface RevisionRow {
  id: string;
  kind: PrecedentRevision['kind'];
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: string | null;
  changed_by: string | null;
  changed_by_name: string;
  created_at: Date;
}

const SELECT = `id, number, question, codes, modifiers, decision, reasoning, settled_how,
  source_encounter_id, source_suggestion_id, decided_by, decided_by_name, status, retired_reason,
  created_at, updated_at`;

/** The words of a precedent, exactly as the index precedents_words_idx (PrecedentLibrary) has them. */
const WORDS = `to_tsvector('english', question || ' ' || decision || ' ' || reasoning)`;

/**
 * The search's filters: $1 organization, $2 status or 'all', $3 one code, $4 what was typed
 * (its words, any code among its tokens, or the number).
 */
const SEARCH_WHERE = `organization_id = $1
  AND ($2::text = 'all' OR status = $2::text)
  AND ($3::text IS NULL OR $3::text = ANY (codes))
  AND ($4::text IS NULL
       OR ${WORDS} @@ websearch_to_tsquery('english', $4::text)
       OR codes && regexp_split_to_array(upper($4::text), '[^A-Z0-9]+')
       OR number::text = $4::text)`;

/** The SQL of the precedent library: search, the room's matches, edits and their history. */
@Injectable()
export class PrecedentsRepository {
  /** One page of the organization's precedents matching `query`, newest first, and how many match. */
  async search(
    runner: SqlRunner,
    organizationId: string,
    query: PrecedentSearchQuery,
  ): Promise<{ items: Precedent[]; total: number }> {
    const filters = [organizationId, query.status, query.code ?? null, query.q ?? null];
    const [count] = await runner.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM precedents WHERE ${SEARCH_WHERE}`,
      filters,
    );
    const rows = await runner.query<PrecedentRow[]>(
      `SELECT ${SELECT} FROM precedents WHERE ${SEARCH_WHERE}
        ORDER BY number DESC LIMIT $5 OFFSET $6`,
      [...filters, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { items: rows.map(toPrecedent), total: count?.total ?? 0 };
  }

  /** The organization's precedent `number`; with `lock`, its row is held until the transaction ends. */
  async byNumber(
    runner: SqlRunner,
    organizationId: string,
    number: number,
    lock = false,
  ): Promise<Precedent | null> {
    const rows = await runner.query<PrecedentRow[]>(
      `SELECT ${SELECT} FROM precedents WHERE organization_id = $1 AND number = $2
       ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId, number],
    );
    return rows[0] ? toPrecedent(rows[0]) : null;
  }

  /**
   * The active precedents for a chart billing `codes`: those all of whose codes it bills, and
   * those from a dispute about which code a line should have (99214 or 99213) when it bills the
   * code the coder had: a chart never bills both sides of such a dispute.
   */
  async matching(runner: SqlRunner, organizationId: string, codes: string[]): Promise<Precedent[]> {
    if (codes.length === 0) return [];
    const rows = await runner.query<PrecedentRow[]>(
      `SELECT ${SELECT} FROM precedents p
        WHERE organization_id = $1 AND status = 'active' AND cardinality(codes) > 0
          AND (codes <@ $2::text[]
               OR EXISTS (SELECT 1 FROM suggestions s
                           WHERE s.id = p.source_suggestion_id
                             AND s.before->>'code' <> s.proposed->>'code'
                             AND s.before->>'code' = ANY ($2::text[])))
        ORDER BY number`,
      [organizationId, codes],
    );
    return rows.map(toPrecedent);
  }

  /**
   * The id and title of an active precedent a suggestion may cite, or null; held (FOR SHARE) until
   * the citing transaction ends, so a retirement cannot commit in between.
   */
  async activeRef(
    runner: SqlRunner,
    organizationId: string,
    number: number,
  ): Promise<(CitedPrecedent & { id: string }) | null> {
    const rows = await runner.query<{ id: string; number: number; question: string }[]>(
      `SELECT id, number, question FROM precedents
        WHERE organization_id = $1 AND number = $2 AND status = 'active' FOR SHARE`,
      [organizationId, number],
    );
    return rows[0] ?? null;
  }

  /** Writes the edited fields of a locked precedent. */
  async update(
    tx: SqlRunner,
    id: string,
    edit: Required<PrecedentEdit>,
    by: UserRef,
  ): Promise<void> {
    await tx.query(
      `UPDATE precedents SET question = $2, codes = $3, modifiers = $4, decision = $5, reasoning = $6,
              updated_by = $7, updated_at = now()
        WHERE id = $1`,
      [id, edit.question, edit.codes, edit.modifiers, edit.decision, edit.reasoning, by.id],
    );
  }

  /** Retires (with the reason) or reactivates a locked precedent. */
  async setStatus(
    tx: SqlRunner,
    id: string,
    status: PrecedentStatus,
    retiredReason: string | null,
    by: UserRef,
  ): Promise<void> {
    await tx.query(
      `UPDATE precedents SET status = $2, retired_reason = $3, updated_by = $4, updated_at = now()
        WHERE id = $1`,
      [id, status, retiredReason, by.id],
    );
  }

  /** Records one change in the precedent's history, in the transaction that made it. */
  async insertRevision(
    tx: SqlRunner,
    revision: Pick<PrecedentRevision, 'kind' | 'before' | 'after' | 'reason' | 'by'> & {
      precedentId: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO precedent_revisions (precedent_id, kind, before, after, reason, changed_by, changed_by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        revision.precedentId,
        revision.kind,
        JSON.stringify(revision.before),
        JSON.stringify(revision.after),
        revision.reason,
        revision.by.id,
        revision.by.name,
      ],
    );
  }

  /** The precedent's history, newest first. */
  async revisions(runner: SqlRunner, precedentId: string): Promise<PrecedentRevision[]> {
    const rows = await runner.query<RevisionRow[]>(
      `SELECT id, kind, before, after, reason, changed_by, changed_by_name, created_at
         FROM precedent_revisions WHERE precedent_id = $1 ORDER BY created_at DESC, id`,
      [precedentId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      before: r.before,
      after: r.after,
      reason: r.reason,
      by: { id: r.changed_by ?? '', name: r.changed_by_name },
      at: r.created_at.toISOString(),
    }));
  }
}

function toPrecedent(r: PrecedentRow): Precedent {
  return {
    id: r.id,
    number: r.number,
    question: r.question,
    codes: r.codes,
    modifiers: r.modifiers,
    decision: r.decision,
    reasoning: r.reasoning,
    settledHow: r.settled_how,
    sourceEncounterId: r.source_encounter_id,
    sourceSuggestionId: r.source_suggestion_id,
    decidedBy: { id: r.decided_by ?? '', name: r.decided_by_name },
    status: r.status,
    retiredReason: r.retired_reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
