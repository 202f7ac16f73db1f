import type { CategoryRow, QualityGroupRow, QualityReport } from '@countersign/shared';
import type { EChartsCoreOption } from 'echarts/core';
import type { ChartsParams } from './quality-filter';
import { dollars, formatMeasure, percent } from './quality-format';

/**
 * The ECharts options the dashboards draw, built from the report as plain data (no ECharts code
 * here, so the library loads only with a chart). Every point carries its counts for the tooltip
 * and the link to the charts behind it; colours come from the theme's tokens (`chartPalette`).
 */

/** Colours for the series, read from the theme (client/src/styles.scss) by the chart component. */
export interface ChartPalette {
  series: readonly string[];
  text: string;
  muted: string;
  grid: string;
  positive: string;
  negative: string;
}

/** A data point: its value, what the tooltip says, and the charts behind it. */
export interface ChartPoint {
  value: number | null;
  name?: string;
  tip: string;
  link: ChartsParams;
}

// ECharts' own font: the one it measures with, so legend texts never run into their symbols.
const TEXT_STYLE = (p: ChartPalette) => ({ color: p.text });

/** No motion: figures appear as they are (and a screenshot or a reduced-motion user sees them at once). */
const STILL = { animation: false } as const;

function tooltip(p: ChartPalette, trigger: 'item' | 'axis' = 'item') {
  return {
    trigger,
    textStyle: { ...TEXT_STYLE(p), fontSize: 12 },
    formatter: (params: { data?: ChartPoint } | { data?: ChartPoint }[]) => {
      const items = Array.isArray(params) ? params : [params];
      return items
        .map((i) => i.data?.tip)
        .filter((t): t is string => !!t)
        .join('<br>');
    },
  };
}

/** The Monday weeks present, in order. */
function weeksOf(rows: readonly { week: string }[]): string[] {
  return [...new Set(rows.map((r) => r.week))].sort();
}

/** "Nov 23": a week start as an axis reads it. */
export function weekLabel(week: string): string {
  const date = new Date(`${week}T00:00:00Z`);
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Line accuracy per coder per week: one line a coder, gaps where a coder had no review that week. */
export function coderTrendOption(
  coderWeeks: QualityReport['coderWeeks'],
  palette: ChartPalette,
): EChartsCoreOption {
  const weeks = weeksOf(coderWeeks);
  const coders = new Map<string, string>();
  for (const row of coderWeeks) coders.set(row.coderId, row.coderName);
  const series = [...coders].map(([coderId, name], i) => ({
    type: 'line',
    name,
    connectNulls: true,
    symbolSize: 7,
    color: palette.series[i % palette.series.length],
    data: weeks.map((week): ChartPoint => {
      const row = coderWeeks.find((r) => r.coderId === coderId && r.week === week);
      const m = row?.figures.line;
      return {
        value: m?.value === null || m === undefined ? null : Math.round(m.value * 1000) / 10,
        tip: m ? `${name}, week of ${week}: ${formatMeasure(m, 'line')}` : '',
        link: { coderId, week },
      };
    }),
  }));
  return {
    ...STILL,
    textStyle: TEXT_STYLE(palette),
    tooltip: tooltip(palette),
    legend: { type: 'scroll', bottom: 0, itemGap: 16, textStyle: TEXT_STYLE(palette) },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: weeks.map(weekLabel),
      axisLabel: { color: palette.muted },
      axisLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: {
      type: 'value',
      min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10 - 10),
      max: 100,
      axisLabel: { color: palette.muted, formatter: '{value}%' },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series,
  };
}

/** Corrections by category: a horizontal bar each, the biggest on top, with the share of lines. */
export function categoryOption(
  rows: readonly CategoryRow[],
  palette: ChartPalette,
): EChartsCoreOption {
  const shown = [...rows]
    .filter((r) => r.corrections > 0)
    .sort((a, b) => a.corrections - b.corrections);
  return {
    ...STILL,
    textStyle: TEXT_STYLE(palette),
    tooltip: tooltip(palette),
    // Room for the longest label ("Not supported by documentation") on two lines.
    grid: { left: 150, right: 40, top: 8, bottom: 24, containLabel: false },
    xAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: palette.muted },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.label),
      axisLabel: { color: palette.text, width: 140, overflow: 'break', lineHeight: 14 },
    },
    series: [
      {
        type: 'bar',
        color: palette.series[0],
        barMaxWidth: 22,
        label: { show: true, position: 'right', color: palette.text },
        data: shown.map((r): ChartPoint => ({
          value: r.corrections,
          name: r.label,
          tip: categoryTip(r),
          link: { category: r.category },
        })),
      },
    ],
  };
}

export function categoryTip(r: CategoryRow): string {
  const share =
    r.lines > 0
      ? `${percent(r.corrections / r.lines)} of ${r.lines.toLocaleString('en-US')} lines`
      : 'no lines';
  return `${r.label}: ${r.corrections} ${r.corrections === 1 ? 'correction' : 'corrections'} (${share}), net ${dollars(r.netImpactCents)}`;
}

/** Dollar impact by week: money found (+) or over-coded (-) by the review, and the total moved. */
export function impactOption(
  byWeek: readonly QualityGroupRow[],
  palette: ChartPalette,
): EChartsCoreOption {
  const weeks = [...byWeek].sort((a, b) => a.key.localeCompare(b.key));
  return {
    ...STILL,
    textStyle: TEXT_STYLE(palette),
    tooltip: tooltip(palette, 'axis'),
    legend: { bottom: 0, itemGap: 16, textStyle: TEXT_STYLE(palette) },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: weeks.map((w) => weekLabel(w.key)),
      axisLabel: { color: palette.muted },
    },
    yAxis: {
      type: 'value',
      axisLabel: {
        color: palette.muted,
        formatter: (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US')}`,
      },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: [
      {
        type: 'bar',
        name: 'Net impact',
        color: palette.positive,
        data: weeks.map((w): ChartPoint => ({
          value: w.figures.tally.netImpactCents / 100,
          tip: `Week of ${w.key}: net ${dollars(w.figures.tally.netImpactCents)} over ${w.figures.chart.denominator} charts`,
          link: { week: w.key },
        })),
      },
      {
        type: 'bar',
        name: 'Total moved',
        color: palette.muted,
        data: weeks.map((w): ChartPoint => ({
          value: w.figures.tally.absImpactCents / 100,
          tip: `moved ${dollars(w.figures.tally.absImpactCents)} of ${dollars(w.figures.tally.reviewedCents)} reviewed`,
          link: { week: w.key },
        })),
      },
    ],
  };
}

/** A coder's own trend: the three measures week by week, each its own line, never blended. */
export function myTrendOption(
  byWeek: readonly QualityGroupRow[],
  palette: ChartPalette,
): EChartsCoreOption {
  const weeks = [...byWeek].sort((a, b) => a.key.localeCompare(b.key));
  const line = (name: string, color: string | undefined, pick: 'line' | 'chart' | 'dollar') => ({
    type: 'line',
    name,
    connectNulls: true,
    symbolSize: 7,
    color,
    data: weeks.map((w): ChartPoint => {
      const m = w.figures[pick];
      return {
        value: m.value === null ? null : Math.round(m.value * 1000) / 10,
        tip:
          pick === 'dollar'
            ? `${name}, week of ${w.key}: ${m.value === null ? 'no data' : percent(m.value)}`
            : `${name}, week of ${w.key}: ${formatMeasure(m, pick)}`,
        link: { week: w.key },
      };
    }),
  });
  return {
    ...STILL,
    textStyle: TEXT_STYLE(palette),
    tooltip: tooltip(palette),
    legend: { bottom: 0, itemGap: 16, textStyle: TEXT_STYLE(palette) },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: weeks.map((w) => weekLabel(w.key)),
      axisLabel: { color: palette.muted },
    },
    yAxis: {
      type: 'value',
      max: 100,
      axisLabel: { color: palette.muted, formatter: '{value}%' },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: [
      line('Line accuracy', palette.series[0], 'line'),
      line('Chart accuracy', palette.series[1], 'chart'),
      line('Dollar accuracy', palette.series[2], 'dollar'),
    ],
  };
}

/** One sentence a screen reader gets for the coder trend (the table beside it has every figure). */
export function coderTrendSummary(coderWeeks: QualityReport['coderWeeks']): string {
  const weeks = weeksOf(coderWeeks);
  if (!weeks.length) return 'No reviewed charts in this period.';
  const coders = new Set(coderWeeks.map((r) => r.coderId)).size;
  return `Line accuracy by week for ${coders} ${coders === 1 ? 'coder' : 'coders'} over ${weeks.length} ${weeks.length === 1 ? 'week' : 'weeks'}, ${weeks[0]} to ${weeks.at(-1)}; the table by week and by coder below has the figures.`;
}

export function categorySummary(rows: readonly CategoryRow[]): string {
  const shown = rows.filter((r) => r.corrections > 0).sort((a, b) => b.corrections - a.corrections);
  if (!shown.length) return 'No corrections in this period.';
  return `Corrections by category: ${shown.map(categoryTip).join('; ')}.`;
}

/** A bar chart tall enough for its categories: about 26 px a bar, never less than 120. */
export function categoryChartHeight(rows: readonly CategoryRow[]): number {
  return Math.max(120, rows.filter((r) => r.corrections > 0).length * 26 + 40);
}
