import {
  EDIT_RULES,
  needsAcknowledgement,
  type Acknowledgement,
  type ClaimLine,
  type Finding,
} from '@countersign/shared';

/** How many findings block approval (errors, and warnings nobody has acknowledged yet), and the notices about the data that do not. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  acknowledged: number;
  notices: number;
}

export function countFindings(
  findings: readonly Finding[],
  acknowledged: ReadonlyMap<string, Acknowledgement>,
): FindingCounts {
  const counts = { errors: 0, warnings: 0, acknowledged: 0, notices: 0 };
  for (const finding of findings) {
    if (finding.severity === 'error') counts.errors++;
    else if (!needsAcknowledgement(finding)) counts.notices++;
    else if (acknowledged.has(finding.id)) counts.acknowledged++;
    else counts.warnings++;
  }
  return counts;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 errors, 1 warning", "1 warning acknowledged", "No findings". */
export function describeCounts(counts: FindingCounts): string {
  const parts = [];
  if (counts.errors) parts.push(plural(counts.errors, 'error'));
  if (counts.warnings) parts.push(plural(counts.warnings, 'warning'));
  if (counts.acknowledged) parts.push(`${counts.acknowledged} acknowledged`);
  if (counts.notices) parts.push(plural(counts.notices, 'data notice'));
  return parts.length ? parts.join(', ') : 'No findings';
}

/** The rule's title, e.g. "NCCI PTP pair needs a qualifying modifier". */
export function ruleTitle(finding: Finding): string {
  return EDIT_RULES[finding.ruleId]?.title ?? finding.ruleId;
}

/** Which lines a finding concerns, by their number on the chart: "Line 2 (20610)", "Lines 1 and 2 (99213, 20610)". */
export function linesLabel(finding: Finding, lines: readonly ClaimLine[]): string {
  const named = finding.lineIds
    .map((id) => ({
      index: lines.findIndex((l) => l.id === id),
      line: lines.find((l) => l.id === id),
    }))
    .filter((n): n is { index: number; line: ClaimLine } => !!n.line)
    .sort((a, b) => a.index - b.index);
  if (named.length === 0) return 'The chart';
  const numbers = named.map((n) => n.index + 1);
  const list =
    numbers.length === 1
      ? `${numbers[0]}`
      : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
  return `${numbers.length === 1 ? 'Line' : 'Lines'} ${list} (${named.map((n) => n.line.code).join(', ')})`;
}

/** Where the source row is, when the finding rests on one: "mpfs-rvu-2025.tsv, row 1832". */
export function sourceLocation(finding: Finding): string | null {
  const { file, row } = finding.source;
  if (!file && row === null) return null;
  return [file, row === null ? null : `row ${row}`].filter(Boolean).join(', ');
}
