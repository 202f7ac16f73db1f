import type { Finding } from '../edits/edits.schema.js';
import { needsAcknowledgement } from '../edits/edits.schema.js';
import type { Encounter } from '../encounter/encounter.schema.js';

/**
 * What blocks approval (docs/domain.md section 6), in the words a person reads. One definition: the
 * server refuses `approve` with these, and the client's gate banner follows the live chart with
 * the same words, so the banner goes when its causes do.
 */

/** The review's own gates: every suggestion answered, every line that stays on the claim has a pointer. */
export function reviewBlockers(encounter: Pick<Encounter, 'suggestions' | 'lines'>): string[] {
  const blockers: string[] = [];
  const open = encounter.suggestions.filter((s) => s.status === 'open').length;
  if (open) blockers.push(`${open} suggestion${open > 1 ? 's are' : ' is'} not answered`);
  const unpointed = encounter.lines
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.review.state !== 'rejected' && line.pointers.length === 0);
  if (unpointed.length)
    blockers.push(`line ${unpointed.map((u) => u.n).join(', ')} has no diagnosis pointer`);
  return blockers;
}

/** The edits' gates: no open error finding, no warning left unacknowledged (data notices never block). */
export function findingBlockers(
  findings: readonly Finding[],
  acknowledged: { has(findingId: string): boolean },
): string[] {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter(
    (f) => needsAcknowledgement(f) && !acknowledged.has(f.id),
  ).length;
  const blockers: string[] = [];
  if (errors) blockers.push(`${errors} error finding${errors > 1 ? 's are' : ' is'} open`);
  if (warnings)
    blockers.push(`${warnings} warning${warnings > 1 ? 's are' : ' is'} not acknowledged`);
  return blockers;
}
