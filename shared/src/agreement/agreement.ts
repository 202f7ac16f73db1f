import { measure, type Measure } from '../quality/accuracy.js';
import { normalizeCode } from '../coding/formats.js';

/**
 * Agreement between coders who coded the same charts independently (docs/agreement.md), pure.
 * The statistics work on generic reliability data: units, each rated by some of the coders with a
 * category. Two builders turn codings into units: `unionUnits` (each code anyone billed on a
 * chart, rated present or absent) and `chartCategoryUnits` (one category per chart, such as the
 * E/M level). Units rated by fewer than two coders carry no information about agreement and are
 * left out of every statistic, as Krippendorff does.
 *
 * Read docs/agreement.md before choosing a statistic for union units: with two coders, kappa and
 * alpha over them can never be above 0, because no unit is rated absent by both.
 */

/** A category a coder gave a unit: `1`/`0` for present/absent, a code, or a number on a scale. */
export type AgreementRating = string | number;

/** One unit of reliability data: each coder's rating by coder id; null or no entry = not rated. */
export interface AgreementUnit {
  /** What the unit is, e.g. `chart-1|20610|RT|1`; for tracing a figure back to its charts. */
  key: string;
  ratings: Readonly<Record<string, AgreementRating | null | undefined>>;
}

function isRated(rating: AgreementRating | null | undefined): rating is AgreementRating {
  return rating !== null && rating !== undefined;
}

/** The ratings of a unit that were given, in no particular order. */
function given(unit: AgreementUnit): AgreementRating[] {
  return Object.values(unit.ratings).filter(isRated);
}

/** Units with at least two ratings: the only ones that say anything about agreement. */
function pairable(units: readonly AgreementUnit[]): AgreementRating[][] {
  return units.map(given).filter((values) => values.length >= 2);
}

/** Share of units (rated by two or more coders) on which every coder gave the same rating. */
export function percentAgreement(units: readonly AgreementUnit[]): Measure {
  const rated = pairable(units);
  const agreed = rated.filter((values) => values.every((v) => v === values[0])).length;
  return measure(agreed, rated.length);
}

/**
 * Proportion of specific agreement on `positive` (Fleiss 1975; Uebersax for several raters): of
 * the times a coder rated a unit `positive`, how often another coder did too:
 * sum over units of k(k - 1) / sum of k(m - 1), k = ratings `positive`, m = ratings given.
 * For two coders it is 2a / (2a + b + c) (a = both present, b, c = one only): the Dice
 * coefficient or F1, and the limit of Cohen's kappa as the count of both-absent units grows
 * (Hripcsak and Rothschild 2005). It needs no both-absent units, so it suits `unionUnits`.
 */
export function positiveAgreement(
  units: readonly AgreementUnit[],
  positive: AgreementRating = 1,
): Measure {
  let agreeing = 0;
  let possible = 0;
  for (const values of pairable(units)) {
    const k = values.filter((v) => v === positive).length;
    agreeing += k * (k - 1);
    possible += k * (values.length - 1);
  }
  return measure(agreeing, possible);
}

export interface Kappa {
  /** (observed - expected) / (1 - expected); null when expected is 1 (both coders used one same category throughout) or no unit was rated by both. */
  kappa: number | null;
  /** Share of units the two coders rated alike. */
  observed: number | null;
  /** Agreement expected by chance from each coder's own category shares: sum over c of p1(c) x p2(c). */
  expected: number | null;
  /** Units rated by both coders: the only ones counted. */
  units: number;
  /** The two coders, in the order their ids sort. */
  coders: readonly string[];
}

/**
 * Cohen's kappa for exactly two coders, nominal categories (Cohen 1960). Units rated by only one
 * of them are left out. Throws when the units name more than two coders: that is a programming
 * error (use `krippendorffsAlpha`), not a figure to show.
 */
export function cohensKappa(units: readonly AgreementUnit[]): Kappa {
  const coders = [
    ...new Set(
      units.flatMap((u) =>
        Object.entries(u.ratings)
          .filter(([, r]) => isRated(r))
          .map(([coder]) => coder),
      ),
    ),
  ].sort();
  if (coders.length > 2)
    throw new RangeError(
      `Cohen's kappa is for two coders; these units have ${coders.length}: ${coders.join(', ')}`,
    );
  const [first, second] = coders;
  const pairs: [AgreementRating, AgreementRating][] = [];
  for (const unit of units) {
    const a = first === undefined ? null : unit.ratings[first];
    const b = second === undefined ? null : unit.ratings[second];
    if (isRated(a) && isRated(b)) pairs.push([a, b]);
  }
  const n = pairs.length;
  if (n === 0) return { kappa: null, observed: null, expected: null, units: 0, coders };
  const firstCounts = new Map<AgreementRating, number>();
  const secondCounts = new Map<AgreementRating, number>();
  let alike = 0;
  for (const [a, b] of pairs) {
    if (a === b) alike++;
    firstCounts.set(a, (firstCounts.get(a) ?? 0) + 1);
    secondCounts.set(b, (secondCounts.get(b) ?? 0) + 1);
  }
  // Whole counts until the one division: expected is exactly 1 when both used one same category.
  let chanceProducts = 0;
  for (const [category, count] of firstCounts)
    chanceProducts += count * (secondCounts.get(category) ?? 0);
  const observed = alike / n;
  const expected = chanceProducts / (n * n);
  const kappa = expected === 1 ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, units: n, coders };
}

/** Levels of measurement alpha knows; for present/absent ratings all four give the same alpha. */
export const ALPHA_LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type AlphaLevel = (typeof ALPHA_LEVELS)[number];

/** Krippendorff's coincidence matrix: o[c][k] = sum over units of (c-k pairs in the unit) / (m_u - 1). */
export interface Coincidences {
  /** The categories used, sorted (numbers ascending, else as strings). */
  values: AgreementRating[];
  matrix: number[][];
  /** n_c: the row sums, how often each category was used in pairable units. */
  totals: number[];
  /** n: every pairable rating. */
  n: number;
  /** Units with two or more ratings. */
  units: number;
}

function compareRatings(a: AgreementRating, b: AgreementRating): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * The coincidence matrix of the reliability data: every ordered pair of ratings by two different
 * coders within a unit, weighted 1 / (m_u - 1) so each pairable rating counts once in total.
 */
export function coincidences(units: readonly AgreementUnit[]): Coincidences {
  const rated = pairable(units);
  const values = [...new Set(rated.flat())].sort(compareRatings);
  const index = new Map(values.map((v, i) => [v, i]));
  const matrix = values.map(() => values.map(() => 0));
  for (const unit of rated) {
    const weight = 1 / (unit.length - 1);
    for (let i = 0; i < unit.length; i++)
      for (let j = 0; j < unit.length; j++)
        if (i !== j) matrix[index.get(unit[i]!)!]![index.get(unit[j]!)!]! += weight;
  }
  const totals = matrix.map((row) => row.reduce((sum, o) => sum + o, 0));
  return {
    values,
    matrix,
    totals,
    n: rated.reduce((sum, u) => sum + u.length, 0),
    units: rated.length,
  };
}

/** The squared difference delta^2(c, k) of each level (Krippendorff 2011: nominal, ordinal, interval, ratio). */
function differences(level: AlphaLevel, c: Coincidences): number[][] {
  const numeric = () =>
    c.values.map((v) => {
      if (typeof v !== 'number')
        throw new TypeError(`${level} alpha needs numeric ratings, got "${v}"`);
      return v;
    });
  const { values, totals } = c;
  switch (level) {
    case 'nominal':
      return values.map((_, i) => values.map((__, j) => (i === j ? 0 : 1)));
    case 'interval': {
      const x = numeric();
      return x.map((a) => x.map((b) => (a - b) ** 2));
    }
    case 'ratio': {
      const x = numeric();
      return x.map((a) => x.map((b) => (a === b ? 0 : ((a - b) / (a + b)) ** 2)));
    }
    case 'ordinal': {
      numeric();
      // The categories' ranks are their sorted order; the distance counts the ratings between them.
      return values.map((_, i) =>
        values.map((__, j) => {
          const [lo, hi] = i <= j ? [i, j] : [j, i];
          let between = 0;
          for (let g = lo; g <= hi; g++) between += totals[g]!;
          return (between - (totals[lo]! + totals[hi]!) / 2) ** 2;
        }),
      );
    }
  }
}

export interface Alpha {
  /** 1 - observed / expected disagreement; null when expected disagreement is 0 (one category only, or fewer than two pairable ratings). */
  alpha: number | null;
  /** D_o = (1/n) sum over c, k of o_ck delta^2_ck. */
  observedDisagreement: number | null;
  /** D_e = 1/(n(n - 1)) sum over c, k of n_c n_k delta^2_ck. */
  expectedDisagreement: number | null;
  /** n: pairable ratings. */
  values: number;
  /** Units with two or more ratings. */
  units: number;
}

/**
 * Krippendorff's alpha for any number of coders, any missing ratings, by the coincidence matrix
 * (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). A coder who did not rate a
 * unit contributes nothing to it; units with one rating are left out.
 */
export function krippendorffsAlpha(
  units: readonly AgreementUnit[],
  level: AlphaLevel = 'nominal',
): Alpha {
  const c = coincidences(units);
  const delta = differences(level, c);
  const { n, matrix, totals } = c;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < c.values.length; i++)
    for (let j = 0; j < c.values.length; j++) {
      observed += matrix[i]![j]! * delta[i]![j]!;
      expected += totals[i]! * totals[j]! * delta[i]![j]!;
    }
  if (n < 2 || expected === 0)
    return {
      alpha: null,
      observedDisagreement: n > 0 ? observed / n : null,
      expectedDisagreement: n > 1 ? 0 : null,
      values: n,
      units: c.units,
    };
  const observedDisagreement = observed / n;
  const expectedDisagreement = expected / (n * (n - 1));
  return {
    alpha: 1 - observedDisagreement / expectedDisagreement,
    observedDisagreement,
    expectedDisagreement,
    values: n,
    units: c.units,
  };
}

/** The part of a claim line agreement compares. */
export interface CodedLine {
  code: string;
  modifiers: readonly string[];
  units: number;
}

/** What two codings must share to agree: the code alone, or the code with its modifiers and units. */
export const AGREEMENT_GRANULARITIES = ['code', 'line'] as const;
export type AgreementGranularity = (typeof AGREEMENT_GRANULARITIES)[number];

/** One chart's independent codings: coder id to the lines they billed. A coder absent here did not code it. */
export interface ChartCodings {
  chartId: string;
  codings: Readonly<Record<string, readonly CodedLine[]>>;
}

/** A line as an item: `20610` for codes only, `20610|RT|1` (modifiers sorted, joined by `,`) for the whole line. */
export function agreementItem(line: CodedLine, granularity: AgreementGranularity): string {
  const code = normalizeCode(line.code);
  if (granularity === 'code') return code;
  const modifiers = line.modifiers.map((m) => m.trim().toUpperCase()).sort();
  return `${code}|${modifiers.join(',')}|${line.units}`;
}

/**
 * Units over the union of items on each chart: every item any coder billed on the chart is a
 * unit, and each coder who coded the chart rates it 1 (billed) or 0 (not billed). Items are sets:
 * two lines of the same code are one code-only item. A chart nobody billed anything on gives no
 * unit, so agreement that a chart has no charge is not counted here.
 */
export function unionUnits(
  charts: readonly ChartCodings[],
  granularity: AgreementGranularity,
): AgreementUnit[] {
  const units: AgreementUnit[] = [];
  for (const chart of charts) {
    const coded = Object.entries(chart.codings).map(
      ([coder, lines]) =>
        [coder, new Set(lines.map((l) => agreementItem(l, granularity)))] as const,
    );
    const union = [...new Set(coded.flatMap(([, items]) => [...items]))].sort();
    for (const item of union)
      units.push({
        key: `${chart.chartId}|${item}`,
        ratings: Object.fromEntries(
          coded.map(([coder, items]) => [coder, items.has(item) ? 1 : 0]),
        ),
      });
  }
  return units;
}

/**
 * One unit per chart, rated by each coder with the category `categorize` picks from their lines,
 * e.g. the E/M code billed or `none`. Null leaves the coder's rating out. Here every category,
 * "none" included, can be chosen by both coders, so kappa and alpha mean what they say.
 */
export function chartCategoryUnits(
  charts: readonly ChartCodings[],
  categorize: (lines: readonly CodedLine[]) => AgreementRating | null,
): AgreementUnit[] {
  return charts.map((chart) => ({
    key: chart.chartId,
    ratings: Object.fromEntries(
      Object.entries(chart.codings).map(([coder, lines]) => [coder, categorize(lines)]),
    ),
  }));
}
