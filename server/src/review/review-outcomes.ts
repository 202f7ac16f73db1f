import {
  codeFamily,
  type Encounter,
  type ProposedLine,
  type SessionUser,
} from '@countersign/shared';
import type { OutcomeRow } from './review.repository.js';

/**
 * On approval, the facts accuracy is built on: for every line, whether the coder's submitted
 * line was accepted unchanged, corrected (with the category), rejected, or missed by the coder
 * and added by the reviewer. Approval waits for every line to be reviewed (`reviewBlockers`),
 * so nothing pending is counted as accepted; a dispute a supervisor overruled leaves the
 * coder's line, accepted when it is what they submitted. Written in the approval's transaction, keyed by its seq;
 * `submittedById` is what the coder submitted for each line, `prices` each line's price before
 * and after review (ChartEditsService.linePrices). The line is judged under its final code, or
 * the coder's for a rejected line, and grouped by that code's family.
 */
export function reviewOutcomes(
  encounter: Encounter,
  submittedById: ReadonlyMap<string, ProposedLine | null>,
  approvalSeq: number,
  reviewer: SessionUser,
  prices: ReadonlyMap<string, { coderCents: number; finalCents: number }>,
): OutcomeRow[] {
  return encounter.lines.map((line) => {
    const coderLine = line.origin === 'coder' ? (submittedById.get(line.id) ?? null) : null;
    const finalLine: ProposedLine = {
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      pointers: line.pointers,
    };
    // A suggestion a supervisor upheld went on the line exactly as one the coder accepted.
    const accepted = encounter.suggestions.filter(
      (s) => s.lineId === line.id && (s.status === 'accepted' || s.status === 'upheld'),
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
    const code = outcome === 'rejected' ? (coderLine?.code ?? line.code) : line.code;
    const price = prices.get(line.id);
    return {
      encounterId: encounter.id,
      approvalSeq,
      lineId: line.id,
      outcome,
      category,
      coderLine,
      finalLine: outcome === 'rejected' ? null : finalLine,
      coderId: encounter.coder?.id ?? null,
      reviewerId: reviewer.id,
      code,
      family: codeFamily(code),
      coderCents: price?.coderCents ?? 0,
      finalCents: outcome === 'rejected' ? 0 : (price?.finalCents ?? 0),
    };
  });
}

function normalize(line: ProposedLine): ProposedLine {
  return {
    code: line.code,
    modifiers: [...line.modifiers],
    units: line.units,
    pointers: [...line.pointers],
  };
}
