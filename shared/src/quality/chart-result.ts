import type { CorrectionCategory, ProposedLine } from '../review/review-state.schema.js';
import {
  codeFamily,
  tallyCharts,
  type AccuracyTally,
  type CodeFamily,
  type ReviewedLineFact,
} from './accuracy.js';

/**
 * One approval turned into the facts the quality programme stores (docs/domain.md 10, "Where the
 * figures come from"): the chart's row in `review_results` and what it adds to the three weekly
 * roll-ups (all lines, per code family, per correction category). The counts come from
 * `tallyCharts`, so a roll-up is exactly the reference tally of the charts it holds.
 */

/** One line of an approval with its price before and after review (cents, by `estimateFees`). */
export interface ChartLineFact extends ReviewedLineFact {
  /** The line's price as the coder submitted it; 0 for a missed line. */
  coderCents: number;
  /** The line's price as approved; 0 for a rejected line. */
  finalCents: number;
}

/** The tally of one reviewed chart, as its `review_results` row holds it. */
export interface ChartResultTally {
  coderLines: number;
  acceptedUnchanged: number;
  missedLines: number;
  corrected: number;
  rejected: number;
  clean: boolean;
  /** Sum of the coder's lines' prices as submitted. */
  coderCents: number;
  /** Sum of the approved lines' prices. */
  reviewedCents: number;
  /** Distinct categories of the lines not accepted unchanged, in first-seen order. */
  categories: CorrectionCategory[];
  /** Distinct code families of the chart's lines, in first-seen order. */
  families: CodeFamily[];
}

/** What one chart adds to a roll-up row (`charts` is `chartsReviewed`, 1 for one chart). */
export type RollupContribution = AccuracyTally;

/** What one chart adds to a correction category's roll-up row. */
export interface CategoryContribution {
  category: CorrectionCategory;
  /** Lines in the category that were corrected, rejected or missed. */
  corrections: number;
  charts: 1;
  /** Sum over those lines of (final - coder) cents. */
  netImpactCents: number;
  /** Sum over those lines of |final - coder| cents. */
  absImpactCents: number;
}

/** One approval's stored facts: the chart's tally and its roll-up contributions. */
export interface ChartResultFacts {
  /** Monday (UTC) of the approval's week, YYYY-MM-DD: the roll-ups' week key. */
  week: string;
  result: ChartResultTally;
  all: RollupContribution;
  byFamily: Array<RollupContribution & { family: CodeFamily }>;
  byCategory: CategoryContribution[];
}

/** The Monday (UTC) of the week an instant falls in, as YYYY-MM-DD. */
export function qualityWeek(at: string | Date): string {
  const day = new Date(at);
  if (Number.isNaN(day.getTime())) throw new RangeError(`Not a date: ${String(at)}`);
  const monday = new Date(
    Date.UTC(
      day.getUTCFullYear(),
      day.getUTCMonth(),
      day.getUTCDate() - ((day.getUTCDay() + 6) % 7),
    ),
  );
  return monday.toISOString().slice(0, 10);
}

/**
 * The category a line not accepted unchanged is counted under; a missed line is `missed-code`
 * and an uncategorised correction (none is recorded today) `other`.
 */
function lineCategory(line: ReviewedLineFact): CorrectionCategory {
  if (line.outcome === 'missed') return line.category ?? 'missed-code';
  return line.category ?? 'other';
}

/** The tally `tallyCharts` gives for these lines as one chart. */
function tallyOf(lines: readonly ChartLineFact[]): AccuracyTally {
  return tallyCharts([
    {
      encounterId: '',
      coderId: null,
      reviewerId: null,
      providerNpi: null,
      approvedAt: '',
      lines,
      coderCents: sum(lines, (l) => l.coderCents),
      reviewedCents: sum(lines, (l) => l.finalCents),
    },
  ]);
}

/** Turns one approval's lines into its `review_results` tally and roll-up contributions. */
export function chartResultFacts(
  lines: readonly ChartLineFact[],
  approvedAt: string | Date,
): ChartResultFacts {
  const all = tallyOf(lines);
  const families = distinct(lines.map((l) => codeFamily(l.code)));
  const changed = lines.filter((l) => l.outcome !== 'accepted');
  const categories = distinct(changed.map(lineCategory));
  return {
    week: qualityWeek(approvedAt),
    result: {
      coderLines: all.coderLines,
      acceptedUnchanged: all.acceptedUnchanged,
      missedLines: all.missedLines,
      corrected: all.corrected,
      rejected: all.rejected,
      clean: all.chartsClean === 1,
      coderCents: sum(lines, (l) => l.coderCents),
      reviewedCents: all.reviewedCents,
      categories,
      families,
    },
    all,
    byFamily: families.map((family) => ({
      family,
      ...tallyOf(lines.filter((l) => codeFamily(l.code) === family)),
    })),
    byCategory: categories.map((category) => {
      const mine = changed.filter((l) => lineCategory(l) === category);
      return {
        category,
        corrections: mine.length,
        charts: 1,
        netImpactCents: sum(mine, (l) => l.finalCents - l.coderCents),
        absImpactCents: sum(mine, (l) => Math.abs(l.finalCents - l.coderCents)),
      };
    }),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** A billed line as people read it in the quality views: "99214-25 x1". */
export function formatBilledLine(line: Pick<ProposedLine, 'code' | 'modifiers' | 'units'>): string {
  return `${line.code}${line.modifiers.map((m) => `-${m}`).join('')} x${line.units}`;
}
