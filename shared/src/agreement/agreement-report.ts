import type { Measure } from '../quality/accuracy.js';
import { qualityWeek } from '../quality/chart-result.js';
import { isEvaluationAndManagement } from '../coding/code-sections.js';
import { normalizeCode } from '../coding/formats.js';
import type { UserRef } from '../users/user.schema.js';
import {
  chartCategoryUnits,
  cohensKappa,
  krippendorffsAlpha,
  percentAgreement,
  positiveAgreement,
  unionUnits,
  type AgreementGranularity,
  type ChartCodings,
  type CodedLine,
} from './agreement.js';
import type {
  AgreementChart,
  AgreementFigures,
  AgreementPair,
  AgreementReport,
  DoubleCodingStatus,
} from './double-coding.schema.js';

/**
 * The agreement report assembled from double-coded charts (docs/domain.md 11.3,
 * docs/agreement.md section 4), pure: the server reads the charts, this computes every figure.
 * Over the union of codes on each chart: percent and positive agreement, for codes and for
 * code + modifiers + units. Kappa (a pair) and alpha (any set) on each chart's E/M level, where
 * every category, "none" included, can be chosen by both coders.
 */

/** One chart both coders submitted: what each of them billed, slot 1 first. */
export interface DoubleCodedChart {
  doubleCodingId: string;
  encounterId: string;
  chartLabel: string;
  status: DoubleCodingStatus;
  /** ISO timestamp the second copy was submitted: the chart's place in the period. */
  bothSubmittedAt: string;
  coders: [UserRef, UserRef];
  lines: [readonly CodedLine[], readonly CodedLine[]];
}

/** A chart's E/M level as one category: the E/M codes billed (sorted, `+`-joined) or `none`. */
export function emLevel(lines: readonly CodedLine[]): string {
  const codes = [
    ...new Set(lines.map((l) => normalizeCode(l.code)).filter(isEvaluationAndManagement)),
  ].sort();
  return codes.length > 0 ? codes.join('+') : 'none';
}

function codings(chart: DoubleCodedChart): ChartCodings {
  return {
    chartId: chart.doubleCodingId,
    codings: {
      [chart.coders[0].id]: chart.lines[0],
      [chart.coders[1].id]: chart.lines[1],
    },
  };
}

function unionFigures(
  charts: readonly ChartCodings[],
  granularity: AgreementGranularity,
): { percent: Measure; positive: Measure } {
  const units = unionUnits(charts, granularity);
  return { percent: percentAgreement(units), positive: positiveAgreement(units) };
}

/**
 * The figures over a set of charts. Kappa only when the charts have exactly two coders between
 * them (a pair); alpha always (it takes any number of coders and missing ratings).
 */
export function agreementFigures(charts: readonly DoubleCodedChart[]): AgreementFigures {
  const data = charts.map(codings);
  const em = chartCategoryUnits(data, emLevel);
  const coderIds = new Set(charts.flatMap((c) => c.coders.map((u) => u.id)));
  const alpha = krippendorffsAlpha(em);
  return {
    charts: charts.length,
    codes: unionFigures(data, 'code'),
    lines: unionFigures(data, 'line'),
    emLevel: {
      kappa: coderIds.size === 2 ? cohensKappa(em).kappa : null,
      alpha: alpha.alpha,
      units: alpha.units,
    },
  };
}

/** One chart's own agreement: percent over the union of its codes, and of its lines. */
export function chartAgreement(chart: DoubleCodedChart): { codes: Measure; lines: Measure } {
  const data = [codings(chart)];
  return {
    codes: percentAgreement(unionUnits(data, 'code')),
    lines: percentAgreement(unionUnits(data, 'line')),
  };
}

/** The two coders of a chart in a fixed order (by name, then id), and the pair's key. */
function pairOf(chart: DoubleCodedChart): { key: string; coders: [UserRef, UserRef] } {
  const coders = [...chart.coders].sort(
    (a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  ) as [UserRef, UserRef];
  return { key: `${coders[0].id}|${coders[1].id}`, coders };
}

const DAY_MS = 86_400_000;

/** Every Monday from `fromWeek` to `toWeek`, both included. */
export function weeksBetween(fromWeek: string, toWeek: string): string[] {
  const weeks: string[] = [];
  for (
    let t = Date.parse(`${fromWeek}T00:00:00Z`);
    t <= Date.parse(`${toWeek}T00:00:00Z`);
    t += 7 * DAY_MS
  )
    weeks.push(new Date(t).toISOString().slice(0, 10));
  return weeks;
}

/**
 * The whole report over the charts of a period (`from`, `to`: the Monday and the Sunday the
 * period runs between). Pairs by most charts first; every week of the period, empty ones
 * included, oldest first; the charts newest first.
 */
export function agreementReport(
  period: { from: string; to: string },
  charts: readonly DoubleCodedChart[],
): AgreementReport {
  const byPair = new Map<string, { coders: [UserRef, UserRef]; charts: DoubleCodedChart[] }>();
  const byWeek = new Map<string, DoubleCodedChart[]>();
  for (const chart of charts) {
    const { key, coders } = pairOf(chart);
    const pair = byPair.get(key) ?? { coders, charts: [] };
    pair.charts.push(chart);
    byPair.set(key, pair);
    const week = qualityWeek(chart.bothSubmittedAt);
    byWeek.set(week, [...(byWeek.get(week) ?? []), chart]);
  }
  const pairs: AgreementPair[] = [...byPair.values()]
    .map((p) => ({ coders: p.coders, ...agreementFigures(p.charts) }))
    .sort(
      (a, b) =>
        b.charts - a.charts ||
        a.coders[0].name.localeCompare(b.coders[0].name) ||
        a.coders[1].name.localeCompare(b.coders[1].name),
    );
  const weeks = weeksBetween(
    qualityWeek(`${period.from}T00:00:00Z`),
    qualityWeek(`${period.to}T00:00:00Z`),
  ).map((week) => ({ week, ...agreementFigures(byWeek.get(week) ?? []) }));
  const chartRows: AgreementChart[] = [...charts]
    .sort((a, b) =>
      a.bothSubmittedAt < b.bothSubmittedAt ? 1 : a.bothSubmittedAt > b.bothSubmittedAt ? -1 : 0,
    )
    .map((chart) => ({
      doubleCodingId: chart.doubleCodingId,
      encounterId: chart.encounterId,
      chartLabel: chart.chartLabel,
      coders: pairOf(chart).coders,
      bothSubmittedAt: chart.bothSubmittedAt,
      status: chart.status,
      ...chartAgreement(chart),
    }));
  return { period, team: agreementFigures(charts), pairs, weeks, charts: chartRows };
}

/** Whether `chart` is behind a pair's figure: coded by exactly these two coders. */
export function isPairChart(
  chart: Pick<AgreementChart, 'coders'>,
  pair: Pick<AgreementPair, 'coders'>,
): boolean {
  const ids = new Set(chart.coders.map((c) => c.id));
  return pair.coders.every((c) => ids.has(c.id));
}
