import type { PrecedentSettlement, UserRef } from '@countersign/shared';
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
