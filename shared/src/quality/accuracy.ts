import { procedureCodeKind } from '../coding/formats.js';
import { cptSection } from '../coding/code-sections.js';
import type { CorrectionCategory } from '../review/review-state.schema.js';

/**
 * Accuracy, defined once (docs/domain.md section 10). Three measures from review outcomes, each
 * shown beside its counts and never blended into one score:
 * - line accuracy = coder lines accepted unchanged / (coder lines + missed lines);
 * - chart accuracy = charts approved with no correction / charts reviewed;
 * - dollar accuracy = 1 - sum of |dollar impact| per chart / reviewed amount (at least 0).
 * A measure over nothing is null ("no data"), never 0 or 1.
 */

/** One measure with what it was computed from, so 100% over two charts reads as such. */
export interface Measure {
  value: number | null;
  numerator: number;
  denominator: number;
}

export const LINE_OUTCOMES = ['accepted', 'corrected', 'rejected', 'missed'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

/** The counts every measure is computed from; SQL aggregates produce the same shape. */
export interface AccuracyTally {
  /** Lines the coder submitted that were reviewed (accepted, corrected or rejected). */
  coderLines: number;
  /** Of those, accepted exactly as the coder submitted them. */
  acceptedUnchanged: number;
  /** Lines the reviewer added because the coder missed them. */
  missedLines: number;
  corrected: number;
  rejected: number;
  chartsReviewed: number;
  /** Charts approved with every coder line accepted unchanged and no missed line. */
  chartsClean: number;
  /** Sum over charts of the reviewed lines' estimate, in cents. */
  reviewedCents: number;
  /** Sum over charts of |reviewed estimate - coder's estimate|, in cents. */
  absImpactCents: number;
  /** Sum over charts of (reviewed estimate - coder's estimate), in cents: money found (+) or over-coded (-). */
  netImpactCents: number;
}

export const EMPTY_TALLY: AccuracyTally = {
  coderLines: 0,
  acceptedUnchanged: 0,
  missedLines: 0,
  corrected: 0,
  rejected: 0,
  chartsReviewed: 0,
  chartsClean: 0,
  reviewedCents: 0,
  absImpactCents: 0,
  netImpactCents: 0,
};

/** A measure of `numerator` out of `denominator`; null value over nothing. */
export function measure(numerator: number, denominator: number): Measure {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator };
}

export function lineAccuracy(
  t: Pick<AccuracyTally, 'coderLines' | 'acceptedUnchanged' | 'missedLines'>,
): Measure {
  return measure(t.acceptedUnchanged, t.coderLines + t.missedLines);
}

export function chartAccuracy(t: Pick<AccuracyTally, 'chartsReviewed' | 'chartsClean'>): Measure {
  return measure(t.chartsClean, t.chartsReviewed);
}

/** Numerator: the reviewed amount not moved by the review (cents); never below 0. */
export function dollarAccuracy(
  t: Pick<AccuracyTally, 'reviewedCents' | 'absImpactCents'>,
): Measure {
  const kept = Math.max(0, t.reviewedCents - t.absImpactCents);
  return measure(kept, t.reviewedCents);
}

/** The three measures side by side. */
export interface AccuracyFigures {
  line: Measure;
  chart: Measure;
  dollar: Measure;
  tally: AccuracyTally;
}

export function accuracyFigures(tally: AccuracyTally): AccuracyFigures {
  return {
    line: lineAccuracy(tally),
    chart: chartAccuracy(tally),
    dollar: dollarAccuracy(tally),
    tally,
  };
}

/** The facts of one reviewed line, as recorded at approval. */
export interface ReviewedLineFact {
  outcome: LineOutcome;
  category: CorrectionCategory | null;
  /** The code the line is judged under: the final code, or the coder's for a rejected line. */
  code: string;
}

/** The facts of one approval, as recorded in its transaction. */
export interface ReviewedChartFact {
  encounterId: string;
  coderId: string | null;
  reviewerId: string | null;
  providerNpi: string | null;
  /** ISO timestamp of the approval. */
  approvedAt: string;
  lines: readonly ReviewedLineFact[];
  coderCents: number;
  reviewedCents: number;
}

/** The reference tally: what SQL aggregates must agree with (tested on random histories). */
export function tallyCharts(charts: readonly ReviewedChartFact[]): AccuracyTally {
  const t = { ...EMPTY_TALLY };
  for (const chart of charts) {
    let clean = true;
    for (const line of chart.lines) {
      if (line.outcome === 'missed') {
        t.missedLines++;
        clean = false;
        continue;
      }
      t.coderLines++;
      if (line.outcome === 'accepted') t.acceptedUnchanged++;
      else {
        clean = false;
        if (line.outcome === 'corrected') t.corrected++;
        else t.rejected++;
      }
    }
    t.chartsReviewed++;
    if (clean) t.chartsClean++;
    const impact = chart.reviewedCents - chart.coderCents;
    t.reviewedCents += chart.reviewedCents;
    t.absImpactCents += Math.abs(impact);
    t.netImpactCents += impact;
  }
  return t;
}

export const CODE_FAMILIES = [
  'em',
  'surgery',
  'radiology',
  'lab',
  'medicine',
  'hcpcs',
  'other',
] as const;
export type CodeFamily = (typeof CODE_FAMILIES)[number];

export const CODE_FAMILY_LABELS: Record<CodeFamily, string> = {
  em: 'E/M',
  surgery: 'Surgery',
  radiology: 'Radiology',
  lab: 'Lab',
  medicine: 'Medicine',
  hcpcs: 'HCPCS',
  other: 'Other',
};

/** The family accuracy is grouped by: CPT sections, HCPCS Level II, anything else (Category II/III, anesthesia) "other". */
export function codeFamily(code: string): CodeFamily {
  const kind = procedureCodeKind(code);
  if (kind === 'HCPCS-II') return 'hcpcs';
  switch (cptSection(code)) {
    case 'Evaluation and Management':
      return 'em';
    case 'Surgery':
      return 'surgery';
    case 'Radiology':
      return 'radiology';
    case 'Pathology and Laboratory':
      return 'lab';
    case 'Medicine':
      return 'medicine';
    default:
      return 'other';
  }
}
