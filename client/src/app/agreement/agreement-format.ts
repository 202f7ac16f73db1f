import type {
  AgreementChart,
  AgreementFigures,
  AgreementPair,
  AgreementReport,
  Measure,
} from '@countersign/shared';
import type { EChartsCoreOption } from 'echarts/core';
import { weekLabel, type ChartPalette, type ChartPoint } from '../quality/chart-options';
import type { CsvRows } from '../quality/quality-csv';
import { measureValue, percent } from '../quality/quality-format';

/**
 * What the agreement dashboard shows, as plain data (docs/domain.md 11.3): tiles, the weekly
 * trend's ECharts option and the CSV rows. Over the union of codes, kappa and alpha are pinned
 * at or below 0 for two coders (docs/agreement.md section 4), so codes and lines are shown as
 * percent and positive agreement, and kappa/alpha only on each chart's E/M level.
 */

/** The one plain sentence the dashboard says about which figures it shows and why. */
export const AGREEMENT_EXPLANATION =
  'Codes and lines are compared over every code either coder billed on a chart; there kappa and alpha cannot rise above zero, so they show as percent and positive agreement, and kappa (a pair) and alpha (the team) are given on each chart’s E/M level instead.';

export interface AgreementTile {
  id: string;
  label: string;
  value: string;
  counts: string;
  hint: string;
}

/** "12 of 14 codes", "no codes" over nothing. */
export function unitCounts(m: Measure, unit: string): string {
  return m.value === null
    ? `no ${unit}s`
    : `${m.numerator.toLocaleString('en-US')} of ${m.denominator.toLocaleString('en-US')} ${m.denominator === 1 ? unit : `${unit}s`}`;
}

/** A coefficient to two decimals ("0.43", "-0.05"), "—" when it cannot be computed. */
export function coefficient(value: number | null): string {
  if (value === null) return '—';
  const rounded = Math.round(value * 100) / 100;
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(2);
}

/** "2 charts", "1 chart". */
export function chartCount(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'chart' : 'charts'}`;
}

/** The team's (or a pair's) figures as tiles: four agreements with their counts, and the E/M coefficient. */
export function agreementTiles(f: AgreementFigures, pair: boolean): AgreementTile[] {
  const em = pair
    ? { label: 'E/M level kappa', value: f.emLevel.kappa }
    : { label: 'E/M level alpha', value: f.emLevel.alpha };
  return [
    {
      id: 'codes-percent',
      label: 'Codes: percent agreement',
      value: measureValue(f.codes.percent),
      counts: unitCounts(f.codes.percent, 'code'),
      hint: 'Codes both coders billed, of every code either billed on each chart',
    },
    {
      id: 'codes-positive',
      label: 'Codes: positive agreement',
      value: measureValue(f.codes.positive),
      counts: unitCounts(f.codes.positive, 'billing'),
      hint: 'Of the times a coder billed a code, how often the other billed it too',
    },
    {
      id: 'lines-percent',
      label: 'Lines: percent agreement',
      value: measureValue(f.lines.percent),
      counts: unitCounts(f.lines.percent, 'line'),
      hint: 'Lines (code, modifiers and units) both coders billed, of every line either billed',
    },
    {
      id: 'lines-positive',
      label: 'Lines: positive agreement',
      value: measureValue(f.lines.positive),
      counts: unitCounts(f.lines.positive, 'billing'),
      hint: 'Of the times a coder billed a line, how often the other billed the same line',
    },
    {
      id: 'em',
      label: em.label,
      value: coefficient(em.value),
      counts: `${chartCount(f.emLevel.units)}${em.value === null && f.emLevel.units > 0 ? '; no spread of levels to judge' : ''}`,
      hint: pair
        ? "Cohen's kappa on each chart's E/M level (or none): 1 is full agreement, 0 is chance"
        : "Krippendorff's alpha on each chart's E/M level (or none): 1 is full agreement, 0 is chance",
    },
  ];
}

const pct = (m: Measure): number | null =>
  m.value === null ? null : Math.round(m.value * 1000) / 10;

/** Percent agreement on codes and on lines, week by week; a point opens that week's charts. */
export function agreementTrendOption(
  weeks: AgreementReport['weeks'],
  palette: ChartPalette,
): EChartsCoreOption {
  const series = (
    [
      ['Codes', (w: AgreementFigures) => w.codes.percent, 'code'],
      ['Lines (code + modifiers + units)', (w: AgreementFigures) => w.lines.percent, 'line'],
    ] as const
  ).map(([name, pick, unit], i) => ({
    type: 'line',
    name,
    connectNulls: true,
    symbolSize: 7,
    color: palette.series[i % palette.series.length],
    data: weeks.map((w): ChartPoint => ({
      value: pct(pick(w)),
      tip:
        pick(w).value === null
          ? `Week of ${w.week}: no double-coded charts`
          : `${name}, week of ${w.week}: ${percent(pick(w).value!)} (${unitCounts(pick(w), unit)}, ${chartCount(w.charts)})`,
      link: { week: w.week },
    })),
  }));
  return {
    animation: false,
    textStyle: { color: palette.text },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: ChartPoint }) => p.data?.tip ?? '',
    },
    legend: { bottom: 0, itemGap: 16, textStyle: { color: palette.text } },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: weeks.map((w) => weekLabel(w.week)),
      axisLabel: { color: palette.muted },
      axisLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      axisLabel: { color: palette.muted, formatter: '{value}%' },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series,
  };
}

/** What a screen reader hears for the trend: the weeks with charts and their figures. */
export function agreementTrendSummary(weeks: AgreementReport['weeks']): string {
  const withCharts = weeks.filter((w) => w.charts > 0);
  if (!withCharts.length) return 'No double-coded charts in this period.';
  return `Percent agreement by week: ${withCharts
    .map(
      (w) =>
        `week of ${w.week}, codes ${measureValue(w.codes.percent)}, lines ${measureValue(w.lines.percent)} over ${chartCount(w.charts)}`,
    )
    .join('; ')}.`;
}

/** "Casey & Jordan". */
export const pairName = (p: Pick<AgreementPair, 'coders'>): string =>
  `${p.coders[0].name} & ${p.coders[1].name}`;

/** The pair's key as the address carries it: the two coder ids, in the pair's order. */
export const pairKey = (p: Pick<AgreementPair, 'coders'>): string =>
  `${p.coders[0].id}~${p.coders[1].id}`;

const share = (m: Measure): string | number =>
  m.value === null ? '' : Math.round(m.value * 10000) / 10000;
const measureCells = (m: Measure) => [share(m), m.numerator, m.denominator];
const coef = (v: number | null): string | number =>
  v === null ? '' : Math.round(v * 10000) / 10000;

/** The team, every pair and every week, one row each, with every figure's counts. */
export function agreementCsvRows(report: AgreementReport): CsvRows {
  const row = (scope: string, label: string, f: AgreementFigures) => [
    scope,
    label,
    f.charts,
    ...measureCells(f.codes.percent),
    ...measureCells(f.codes.positive),
    ...measureCells(f.lines.percent),
    ...measureCells(f.lines.positive),
    coef(f.emLevel.kappa),
    coef(f.emLevel.alpha),
    f.emLevel.units,
  ];
  return [
    [
      'scope',
      'label',
      'charts',
      'codes_percent',
      'codes_agreed',
      'codes_counted',
      'codes_positive',
      'codes_positive_numerator',
      'codes_positive_denominator',
      'lines_percent',
      'lines_agreed',
      'lines_counted',
      'lines_positive',
      'lines_positive_numerator',
      'lines_positive_denominator',
      'em_kappa',
      'em_alpha',
      'em_charts',
    ],
    row('team', `${report.period.from} to ${report.period.to}`, report.team),
    ...report.pairs.map((p) => row('pair', pairName(p), p)),
    ...report.weeks.map((w) => row('week', w.week, w)),
  ];
}

/** The charts behind the figures, one row each. */
export function agreementChartCsvRows(charts: readonly AgreementChart[]): CsvRows {
  return [
    [
      'double_coding_id',
      'chart',
      'coder_1',
      'coder_2',
      'both_submitted_at',
      'status',
      'codes_percent',
      'codes_agreed',
      'codes_counted',
      'lines_percent',
      'lines_agreed',
      'lines_counted',
    ],
    ...charts.map((c) => [
      c.doubleCodingId,
      c.chartLabel,
      c.coders[0].name,
      c.coders[1].name,
      c.bothSubmittedAt,
      c.status,
      ...measureCells(c.codes),
      ...measureCells(c.lines),
    ]),
  ];
}
