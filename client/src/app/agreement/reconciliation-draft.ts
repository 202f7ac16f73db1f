import {
  ReconcileCommandSchema,
  type CodedLineView,
  type DiagnosisLetter,
  type ReconcileCommand,
  type ReconciliationRow,
  type ReconciliationSource,
} from '@countersign/shared';

/**
 * The reconciliation form's state as plain data, and its translation into the reconcile command
 * (shared/src/agreement/double-coding.schema.ts): one decision per row of the side-by-side view,
 * plus the lines the reviewer writes new. Pure, so the page and its spec share it.
 */

/** A final line as the form edits it: modifiers and pointers as typed ("25, RT"). */
export interface LineDraft {
  code: string;
  modifiers: string;
  units: string;
  pointers: string;
  rationale: string;
}

export interface RowDecision {
  /** Null until the reviewer chooses. */
  choice: ReconciliationSource | null;
  /** The final line when `choice` is `new` (prefilled from a side). */
  line: LineDraft;
  reason: string;
}

export interface AddedLine {
  line: LineDraft;
  reason: string;
}

export const AGREE_REASON = 'Both coders agree';

export const CHOICE_LABELS: Record<ReconciliationSource, string> = {
  first: 'Take the first',
  second: 'Take the second',
  both: 'Both (they agree)',
  new: 'Write the line',
  dropped: 'Drop',
};

export function lineDraft(line: CodedLineView | null): LineDraft {
  return {
    code: line?.code ?? '',
    modifiers: line?.modifiers.join(', ') ?? '',
    units: String(line?.units ?? 1),
    pointers: line?.pointers.join(', ') ?? 'A',
    rationale: line?.rationale ?? '',
  };
}

/** The choices a row offers: a side only when it has a line, "both" only when the two are the same line. */
export function choicesFor(row: ReconciliationRow): ReconciliationSource[] {
  const choices: ReconciliationSource[] = [];
  if (row.first && row.second && row.differences.length === 0) choices.push('both');
  if (row.first) choices.push('first');
  if (row.second) choices.push('second');
  choices.push('new', 'dropped');
  return choices;
}

/** Identical rows start as "both" with "Both coders agree"; the others wait for a choice. */
export function initialDecision(row: ReconciliationRow): RowDecision {
  const same = !!row.first && !!row.second && row.differences.length === 0;
  return {
    choice: same ? 'both' : null,
    line: lineDraft(row.first ?? row.second),
    reason: same ? AGREE_REASON : '',
  };
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

function fromDraft(line: LineDraft) {
  return {
    code: line.code.trim().toUpperCase(),
    modifiers: list(line.modifiers),
    units: Number(line.units),
    // Checked by the schema before anything is sent.
    pointers: list(line.pointers) as DiagnosisLetter[],
    rationale: line.rationale,
  };
}

function fromView(line: CodedLineView) {
  return {
    code: line.code,
    modifiers: line.modifiers,
    units: line.units,
    pointers: line.pointers as DiagnosisLetter[],
    rationale: line.rationale,
  };
}

export type BuildResult =
  | { ok: true; command: ReconcileCommand }
  | { ok: false; problems: { row: number | null; added: number | null; message: string }[] };

/**
 * The reconcile command from the form, or what is wrong with it, row by row, in words: a row
 * with no choice, a decision with no reason, a line that is not valid, a chart with no line left.
 */
export function buildCommand(
  rows: readonly ReconciliationRow[],
  decisions: readonly RowDecision[],
  added: readonly AddedLine[],
): BuildResult {
  const problems: { row: number | null; added: number | null; message: string }[] = [];
  const command: ReconcileCommand = { decisions: [] };
  rows.forEach((row, i) => {
    const d = decisions[i]!;
    const at = { row: i, added: null };
    if (!d.choice) {
      problems.push({ ...at, message: `Row ${i + 1}: choose what the chart keeps` });
      return;
    }
    if (!d.reason.trim()) problems.push({ ...at, message: `Row ${i + 1}: give a reason` });
    const ids = { firstLineId: row.first?.id ?? null, secondLineId: row.second?.id ?? null };
    const line =
      d.choice === 'dropped'
        ? null
        : d.choice === 'new'
          ? fromDraft(d.line)
          : fromView(d.choice === 'second' ? row.second! : row.first!);
    command.decisions.push({ source: d.choice, ...ids, line, reason: d.reason.trim() });
  });
  added.forEach((a, i) => {
    if (!a.reason.trim())
      problems.push({ row: null, added: i, message: `New line ${i + 1}: give a reason` });
    command.decisions.push({ source: 'new', line: fromDraft(a.line), reason: a.reason.trim() });
  });
  if (
    problems.length === 0 &&
    command.decisions.length > 0 &&
    command.decisions.every((d) => d.source === 'dropped')
  )
    problems.push({ row: null, added: null, message: 'Keep or write at least one line' });
  if (problems.length === 0) {
    const parsed = ReconcileCommandSchema.safeParse(command);
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const index = typeof issue.path[1] === 'number' ? issue.path[1] : null;
        const isRow = index !== null && index < rows.length;
        const field = issue.path.slice(3).join('.') || issue.path.slice(2).join('.');
        problems.push({
          row: isRow ? index : null,
          added: !isRow && index !== null ? index - rows.length : null,
          message: `${isRow ? `Row ${index + 1}` : `New line ${(index ?? rows.length) - rows.length + 1}`}: ${field ? `${field}: ` : ''}${issue.message}`,
        });
      }
  }
  return problems.length ? { ok: false, problems } : { ok: true, command };
}
