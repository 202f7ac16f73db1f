import {
  findingBlockers,
  reviewBlockers,
  type Acknowledgement,
  type Encounter,
  type LiveEdits,
} from '@countersign/shared';

/**
 * What blocks approval of the chart as it is now, in the server's words (the same shared
 * functions the server's approval gate uses): open suggestions, open or escalated disputes,
 * lines nobody reviewed, lines on the claim without a diagnosis pointer, open error findings,
 * unacknowledged warnings. The server decides; the
 * client keeps its gate banner in step with the live chart, so it goes when its causes do.
 */
export function approvalBlockers(
  encounter: Encounter,
  edits: LiveEdits | null,
  acknowledged: ReadonlyMap<string, Acknowledgement>,
): string[] {
  return [
    ...reviewBlockers(encounter),
    ...(edits ? findingBlockers(edits.findings, acknowledged) : []),
  ];
}
