import type { Finding } from '../edits/edits.schema.js';
import { needsAcknowledgement } from '../edits/edits.schema.js';
import type { Encounter } from '../encounter/encounter.schema.js';
import { isWaitingSuggestion, type SuggestionStatus } from './review-state.schema.js';

/**
 * What blocks approval (docs/domain.md section 6), in the words a person reads. One definition: the
 * server refuses `approve` with these, and the client's gate banner follows the live chart with
 * the same words, so the banner goes when its causes do.
 */

/**
 * The review's own gates: every suggestion answered, every dispute settled, every coder line
 * reviewed (accepted, corrected or rejected), and every line that stays on the claim has a
 * pointer. A pending line would otherwise be recorded as accepted and flatter the coder.
 */
export function reviewBlockers(encounter: Pick<Encounter, 'suggestions' | 'lines'>): string[] {
  const blockers: string[] = [];
  const count = (status: SuggestionStatus) =>
    encounter.suggestions.filter((s) => s.status === status).length;
  const open = count('open');
  if (open) blockers.push(`${open} suggestion${open > 1 ? 's are' : ' is'} not answered`);
  const disputed = count('disputed');
  if (disputed)
    blockers.push(
      disputed > 1
        ? `${disputed} disputes are open: withdraw the suggestions, or escalate them to a supervisor`
        : '1 dispute is open: withdraw the suggestion, or escalate it to a supervisor',
    );
  const escalated = count('escalated');
  if (escalated)
    blockers.push(
      `${escalated} dispute${escalated > 1 ? 's are' : ' is'} waiting for a supervisor’s decision`,
    );
  // A line whose suggestion still waits is counted by the suggestion's blocker, not again here.
  const waiting = new Set(
    encounter.suggestions.filter((s) => isWaitingSuggestion(s.status)).map((s) => s.lineId),
  );
  const numbered = encounter.lines.map((line, i) => ({ line, n: i + 1 }));
  const pending = numbered.filter(
    ({ line }) => line.review.state === 'pending' && !waiting.has(line.id),
  );
  if (pending.length)
    blockers.push(`${lines(pending)} ${pending.length > 1 ? 'are' : 'is'} not reviewed`);
  const unpointed = numbered.filter(
    ({ line }) => line.review.state !== 'rejected' && line.pointers.length === 0,
  );
  if (unpointed.length)
    blockers.push(
      `${lines(unpointed)} ${unpointed.length > 1 ? 'have' : 'has'} no diagnosis pointer`,
    );
  return blockers;
}

/** "line 2", "lines 2 and 3", "lines 1, 2 and 4": line numbers as a person lists them. */
function lines(numbered: ReadonlyArray<{ n: number }>): string {
  const n = numbered.map((line) => line.n);
  if (n.length === 1) return `line ${n[0]}`;
  return `lines ${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
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
