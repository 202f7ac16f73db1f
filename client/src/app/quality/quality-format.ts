import type { AccuracyFigures, DurationFigures, Measure } from '@countersign/shared';

/** What each measure counts, as its counts read: "291 of 300 lines". */
export const MEASURE_UNITS = {
  line: { one: 'line', many: 'lines' },
  chart: { one: 'chart', many: 'charts' },
} as const;

function plural(n: number, unit: { one: string; many: string }): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? unit.one : unit.many}`;
}

/**
 * A share as people read it: whole percent, except that a share that is not exactly 100% never
 * rounds up to "100%" and one above 0 never rounds down to "0%".
 */
export function percent(value: number): string {
  const whole = Math.round(value * 100);
  if (whole === 100 && value < 1) return `${Math.floor(value * 1000) / 10}%`;
  if (whole === 0 && value > 0) return `${Math.ceil(value * 1000) / 10}%`;
  return `${whole}%`;
}

/** "97% (291 of 300 lines)", "100% (2 of 2 charts)"; "No data (0 lines)" over nothing. */
export function formatMeasure(m: Measure, kind: 'line' | 'chart'): string {
  const unit = MEASURE_UNITS[kind];
  if (m.value === null) return `No data (0 ${unit.many})`;
  return `${percent(m.value)} (${m.numerator.toLocaleString('en-US')} of ${plural(m.denominator, unit)})`;
}

/** Dollar accuracy counts money: "98% ($1,940.00 of $1,980.00 kept)". */
export function formatDollarMeasure(m: Measure): string {
  if (m.value === null) return 'No data ($0 reviewed)';
  return `${percent(m.value)} (${dollars(m.numerator)} of ${dollars(m.denominator)} kept)`;
}

/** The value alone, for a tile's big number: "97%", or "—" with no data. */
export function measureValue(m: Measure): string {
  return m.value === null ? '—' : percent(m.value);
}

/** The counts alone, for under a tile's number: "291 of 300 lines". */
export function measureCounts(m: Measure, kind: 'line' | 'chart' | 'dollar'): string {
  if (kind === 'dollar')
    return m.value === null
      ? 'no money reviewed'
      : `${dollars(m.numerator)} of ${dollars(m.denominator)} kept`;
  const unit = MEASURE_UNITS[kind];
  return m.value === null
    ? `0 ${unit.many} reviewed`
    : `${m.numerator.toLocaleString('en-US')} of ${plural(m.denominator, unit)}`;
}

/** "$1,234.50" from cents. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  return `${sign}$${(Math.abs(cents) / 100).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** "+$120.00", "-$80.00", "$0.00": a net amount with its sign. */
export function signedDollars(cents: number): string {
  return cents > 0 ? `+${dollars(cents)}` : dollars(cents);
}

/** What a net amount means: money the review found, or took off over-coded lines. */
export function impactDirection(cents: number): string {
  if (cents > 0) return 'found by the review';
  if (cents < 0) return 'over-coded';
  return 'no net change';
}

/** Net impact with its direction: "+$120.00 found", "-$80.00 over-coded", "$0.00". */
export function netImpact(cents: number): string {
  if (cents > 0) return `+${dollars(cents)} found`;
  if (cents < 0) return `${dollars(cents)} over-coded`;
  return dollars(0);
}

/** "3.5 h", "2.1 days"; "—" with nothing measured. */
export function hours(value: number | null): string {
  if (value === null) return '—';
  if (value < 1) return value * 60 < 1 ? 'under a minute' : `${Math.round(value * 60)} min`;
  if (value < 48) return `${value < 10 ? value.toFixed(1) : Math.round(value)} h`;
  return `${(value / 24).toFixed(1)} days`;
}

/** "p50 3.5 h · p90 20 h (14 charts)" or "No charts made both steps". */
export function formatDuration(d: DurationFigures): string {
  if (d.count === 0 || d.p50Hours === null) return 'No charts made both steps';
  return `p50 ${hours(d.p50Hours)} · p90 ${hours(d.p90Hours)} (${plural(d.count, MEASURE_UNITS.chart)})`;
}

/** One sentence with all three measures, never blended: what a row or a chart reads aloud. */
export function figuresSentence(f: AccuracyFigures): string {
  return [
    `line accuracy ${formatMeasure(f.line, 'line')}`,
    `chart accuracy ${formatMeasure(f.chart, 'chart')}`,
    `dollar accuracy ${formatDollarMeasure(f.dollar)}`,
  ].join(', ');
}

/** The change of a measure from last week to this week, in percentage points: "+4 pts", "no change", or null when either week has no data. */
export function pointsChange(now: Measure, before: Measure): string | null {
  if (now.value === null || before.value === null) return null;
  const points = Math.round((now.value - before.value) * 100);
  if (points === 0) return 'no change';
  return `${points > 0 ? '+' : ''}${points} pts`;
}
