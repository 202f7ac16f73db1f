import type { Encounter, ProposedLine, SessionUser } from '@countersign/shared';
import type { EntityManager } from 'typeorm';

/**
 * On approval, the facts accuracy is built on: for every line, whether the coder's submitted
 * line was accepted unchanged, corrected (with the category), rejected, or missed by the coder
 * and added by the reviewer. Written in the approval's transaction, keyed by its seq.
 */
export async function recordOutcomes(
  tx: EntityManager,
  encounter: Encounter,
  approvalSeq: number,
  reviewer: SessionUser,
): Promise<void> {
  const submitted: Array<{ id: string; submitted: ProposedLine | null }> = await tx.query(
    'SELECT id, submitted FROM claim_lines WHERE encounter_id = $1',
    [encounter.id],
  );
  const submittedById = new Map(submitted.map((row) => [row.id, row.submitted]));
  for (const line of encounter.lines) {
    const coderLine = line.origin === 'coder' ? (submittedById.get(line.id) ?? null) : null;
    const finalLine: ProposedLine = {
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      pointers: line.pointers,
    };
    const accepted = encounter.suggestions.filter(
      (s) => s.lineId === line.id && s.status === 'accepted',
    );
    let outcome: 'accepted' | 'corrected' | 'rejected' | 'missed';
    let category: string | null = null;
    if (line.origin === 'reviewer') {
      outcome = 'missed';
      category = 'missed-code';
    } else if (line.review.state === 'rejected') {
      outcome = 'rejected';
      category = line.review.category;
    } else if (accepted.length) {
      outcome = 'corrected';
      category = accepted[accepted.length - 1]!.category;
    } else if (
      coderLine &&
      JSON.stringify(normalize(coderLine)) !== JSON.stringify(normalize(finalLine))
    ) {
      // The coder changed it after the reviewer asked for changes: not accepted as first submitted.
      outcome = 'corrected';
      category = 'other';
    } else {
      outcome = 'accepted';
    }
    await tx.query(
      `INSERT INTO review_outcomes (encounter_id, approval_seq, line_id, outcome, category, coder_line, final_line, coder_id, reviewer_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        encounter.id,
        approvalSeq,
        line.id,
        outcome,
        category,
        coderLine && JSON.stringify(coderLine),
        outcome === 'rejected' ? null : JSON.stringify(finalLine),
        encounter.coder?.id ?? null,
        reviewer.id,
      ],
    );
  }
}

function normalize(line: ProposedLine): ProposedLine {
  return {
    code: line.code,
    modifiers: [...line.modifiers],
    units: line.units,
    pointers: [...line.pointers],
  };
}
