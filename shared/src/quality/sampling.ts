import {
  CORRECTION_CATEGORY_LABELS,
  type CorrectionCategory,
} from '../review/review-state.schema.js';
import type { AccuracyTally } from './accuracy.js';
import type { ReviewLevel } from './quality.schema.js';
import type { SamplingDecision, SamplingPolicy } from './sampling.schema.js';

/**
 * Sampling that tapers (docs/domain.md section 10, "Sampling"): pure rules, the same in the
 * server (which decides at submit) and the browser (which explains). A coder's level comes from
 * their reviewed charts; a submission's decision from the level, the risk rules and a draw
 * derived from the encounter id and the submit's seq, so anyone can recompute it.
 */

/** One reviewed chart's line tally, as `review_results` keeps it. */
export type ChartLineTally = Pick<
  AccuracyTally,
  'coderLines' | 'acceptedUnchanged' | 'missedLines'
>;

/**
 * The coder's review level. `recent` is their reviewed charts newest first (at least the last
 * `policy.newCoderCharts` of them; more are ignored); `reviewedCharts` how many they have in all.
 * Full review until they have `newCoderCharts` charts and, over the last that many, pooled line
 * accuracy at or above the threshold; a coder who falls below it goes back to full review.
 */
export function reviewLevel(
  policy: SamplingPolicy,
  recent: readonly ChartLineTally[],
  reviewedCharts: number = recent.length,
): ReviewLevel {
  const n = policy.newCoderCharts;
  const full = (explanation: string, lineAccuracy: number | null): ReviewLevel => ({
    level: 'full',
    explanation,
    reviewedCharts,
    lineAccuracy,
    sampleRate: 1,
  });
  const window = recent.slice(0, n);
  if (reviewedCharts < n || window.length < n)
    return full(
      `100% review: ${Math.min(reviewedCharts, n)} of ${n} reviewed charts so far`,
      windowAccuracy(window),
    );
  const accuracy = windowAccuracy(window);
  if (accuracy === null)
    return full(`100% review: no coded lines reviewed over the last ${n} charts`, null);
  if (accuracy < policy.lineAccuracyThreshold)
    return full(
      `100% review: line accuracy ${percent(accuracy)} over the last ${n} charts is below ${percent(policy.lineAccuracyThreshold)}`,
      accuracy,
    );
  return {
    level: 'sampled',
    explanation: `${percent(policy.sampleRate)} sample: ${percent(accuracy)} line accuracy over the last ${n} charts`,
    reviewedCharts,
    lineAccuracy: accuracy,
    sampleRate: policy.sampleRate,
  };
}

/** Pooled line accuracy: accepted unchanged / (coder lines + missed lines); null over no lines. */
function windowAccuracy(window: readonly ChartLineTally[]): number | null {
  let accepted = 0;
  let lines = 0;
  for (const chart of window) {
    accepted += chart.acceptedUnchanged;
    lines += chart.coderLines + chart.missedLines;
  }
  return lines > 0 ? accepted / lines : null;
}

/** What the risk rules look at in one submission. */
export interface SamplingChartFacts {
  /** The chart's lines in order (line 1 first). */
  lines: readonly { code: string; modifiers: readonly string[] }[];
  /** The fee estimate of the chart as submitted, in cents. */
  estimateCents: number;
  /** Correction categories the coder was corrected in within `risk.recentFailureDays`. */
  recentFailureCategories: readonly CorrectionCategory[];
  /**
   * The newest code-set edition that replaced an older edition of the same code set, or null.
   * An edition loaded on a fresh install (nothing before it) is not new.
   */
  newestEdition: { label: string; loadedAt: Date } | null;
  /** Resubmitted after a reviewer asked for changes: the reviewer sees the changes. */
  resubmission: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The risk reasons that pull a chart into review whatever the level and the draw. */
export function riskReasons(
  policy: SamplingPolicy,
  facts: SamplingChartFacts,
  now: Date,
): string[] {
  const reasons: string[] = [];
  if (facts.resubmission) reasons.push('Resubmitted after the reviewer asked for changes');
  facts.lines.forEach((line, index) => {
    for (const modifier of line.modifiers)
      if (policy.risk.modifiers.includes(modifier))
        reasons.push(`Modifier ${modifier} on line ${index + 1} (${line.code})`);
  });
  const limit = policy.risk.dollarLimitCents;
  if (limit !== null && facts.estimateCents > limit)
    reasons.push(`Estimate ${dollars(facts.estimateCents)} is above the ${dollars(limit)} limit`);
  const failed = policy.risk.recentFailureCategories.filter((c) =>
    facts.recentFailureCategories.includes(c),
  );
  if (policy.risk.recentFailureDays > 0 && failed.length)
    reasons.push(
      `Corrected in the last ${policy.risk.recentFailureDays} days: ${failed.map((c) => CORRECTION_CATEGORY_LABELS[c]).join(', ')}`,
    );
  const edition = facts.newestEdition;
  if (edition && policy.risk.newEditionDays > 0) {
    const age = now.getTime() - edition.loadedAt.getTime();
    if (age < policy.risk.newEditionDays * DAY_MS)
      reasons.push(
        `New code-set edition: ${edition.label}, loaded ${Math.max(0, Math.floor(age / DAY_MS))} days ago`,
      );
  }
  return reasons;
}

/**
 * Whether this submission is reviewed, and every reason why (or why not). `draw` is in [0, 1):
 * a sampled coder's chart with no risk reason is reviewed when `draw < sampleRate`.
 */
export function samplingDecision(
  policy: SamplingPolicy,
  level: ReviewLevel,
  facts: SamplingChartFacts,
  now: Date,
  draw: number,
): SamplingDecision {
  const risks = riskReasons(policy, facts, now);
  if (level.level === 'full')
    return { review: true, reasons: [`Coder at ${level.explanation}`, ...risks], level: 'full' };
  if (risks.length) return { review: true, reasons: risks, level: 'sampled' };
  const rate = percent(level.sampleRate);
  return draw < level.sampleRate
    ? {
        review: true,
        reasons: [`Sampled (draw ${draw.toFixed(4)} under the ${rate} sample)`],
        level: 'sampled',
      }
    : { review: false, reasons: [`Not sampled (${rate} sample)`], level: 'sampled' };
}

/**
 * The draw of one submission, in [0, 1): a 32-bit FNV-1a hash of `<encounter id>:<seq>` with the
 * murmur3 finaliser, over 2^32. Reproducible from the event log, so an auditor can check a skip.
 */
export function samplingDraw(encounterId: string, seq: number): number {
  let h = 0x811c9dc5;
  for (const char of `${encounterId.toLowerCase()}:${seq}`) {
    h ^= char.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** "97%", "94.9%": floored to a tenth, so a figure below a threshold never reads as equal to it. */
export function samplingPercent(value: number): string {
  return percent(value);
}

function percent(value: number): string {
  const tenths = Math.floor(value * 1000 + 1e-9) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

function dollars(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
