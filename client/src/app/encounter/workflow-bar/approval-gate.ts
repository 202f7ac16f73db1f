import type { Acknowledgement, Encounter, LiveEdits } from '@countersign/shared';
import { countFindings } from '../findings-panel/findings';

/**
 * What blocks approval of the chart as it is now, in the server's words: open suggestions, lines
 * on the claim without a diagnosis pointer, open error findings, unacknowledged warnings. The
 * server decides (ReviewService and ChartEditsService); the client uses this to keep a gate
 * banner in step with the live chart, so it goes away when its causes do.
 */
export function approvalBlockers(encounter: Encounter, edits: LiveEdits | null, acknowledged: ReadonlyMap<string, Acknowledgement>): string[] {
  const blockers: string[] = [];
  const open = encounter.suggestions.filter((s) => s.status === 'open').length;
  if (open) blockers.push(`${open} suggestion${open > 1 ? 's are' : ' is'} not answered`);
  const unpointed = encounter.lines
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.review.state !== 'rejected' && line.pointers.length === 0);
  if (unpointed.length) blockers.push(`line ${unpointed.map((u) => u.n).join(', ')} has no diagnosis pointer`);
  if (edits) {
    const { errors, warnings } = countFindings(edits.findings, acknowledged);
    if (errors) blockers.push(`${errors} error finding${errors > 1 ? 's are' : ' is'} open`);
    if (warnings) blockers.push(`${warnings} warning${warnings > 1 ? 's are' : ' is'} not acknowledged`);
  }
  return blockers;
}
