import {
  CODE_FAMILIES,
  CODE_FAMILY_LABELS,
  CORRECTION_CATEGORIES,
  CORRECTION_CATEGORY_LABELS,
  LINE_OUTCOMES,
  type CodeFamily,
  type CorrectionCategory,
  type LineOutcome,
} from '@countersign/shared';

/**
 * The dashboards' filter as the address holds it (`?from&to&coderId&...`): what the team view,
 * the charts behind a figure and the CSV exports all read. Values that do not parse are dropped,
 * so a hand-edited address still opens a page (the server checks them again anyway).
 */
export interface FilterParams {
  from?: string;
  to?: string;
  coderId?: string;
  reviewerId?: string;
  category?: CorrectionCategory;
  family?: CodeFamily;
  providerNpi?: string;
}

/** The filter plus what one figure counted: the query of /quality/charts. */
export interface ChartsParams extends FilterParams {
  week?: string;
  outcome?: LineOutcome;
}

export const FILTER_KEYS = [
  'from',
  'to',
  'coderId',
  'reviewerId',
  'category',
  'family',
  'providerNpi',
] as const satisfies readonly (keyof FilterParams)[];
export const CHARTS_KEYS = [...FILTER_KEYS, 'week', 'outcome'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NPI = /^\d{10}$/;

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: string): v is T =>
    (values as readonly string[]).includes(v);

const CHECKS: Record<(typeof CHARTS_KEYS)[number], (v: string) => boolean> = {
  from: (v) => DATE.test(v),
  to: (v) => DATE.test(v),
  week: (v) => DATE.test(v),
  coderId: (v) => UUID.test(v),
  reviewerId: (v) => UUID.test(v),
  providerNpi: (v) => NPI.test(v),
  category: oneOf(CORRECTION_CATEGORIES),
  family: oneOf(CODE_FAMILIES),
  outcome: oneOf(LINE_OUTCOMES),
};

/** Reads the filter (and, for the charts page, week and outcome) from query parameters. */
export function chartsParamsFrom(get: (key: string) => string | null): ChartsParams {
  const result: Record<string, string> = {};
  for (const key of CHARTS_KEYS) {
    const value = get(key)?.trim();
    if (value && CHECKS[key](value)) result[key] = value;
  }
  if (result['from'] && result['to'] && result['from'] > result['to']) delete result['from'];
  return result;
}

export function filterParamsFrom(get: (key: string) => string | null): FilterParams {
  const all = chartsParamsFrom(get);
  return Object.fromEntries(
    FILTER_KEYS.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]),
  );
}

/** Query parameters for a router link or navigation: every key, null for the ones not set. */
export function toQueryParams(params: ChartsParams): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const key of CHARTS_KEYS) result[key] = params[key] ?? null;
  return result;
}

/** The link to the charts behind a figure: the page's filter narrowed by what the figure counted. */
export function chartsLink(
  filter: FilterParams,
  narrowed: ChartsParams = {},
): Record<string, string> {
  const merged: ChartsParams = { ...filter, ...narrowed };
  const result: Record<string, string> = {};
  for (const key of CHARTS_KEYS) {
    const value = merged[key];
    if (value) result[key] = value;
  }
  return result;
}

export const PERIOD_PRESETS = [
  { id: '4w', label: 'Last 4 weeks', days: 28 },
  { id: '12w', label: 'Last 12 weeks', days: 84 },
  { id: '26w', label: 'Last 26 weeks', days: 182 },
  { id: 'ytd', label: 'Year to date', days: null },
] as const;
export type PeriodPresetId = (typeof PERIOD_PRESETS)[number]['id'];

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The from/to of a preset ending `today` (a UTC date, YYYY-MM-DD). */
export function presetRange(id: PeriodPresetId, today: string): { from: string; to: string } {
  const preset = PERIOD_PRESETS.find((p) => p.id === id)!;
  if (preset.days === null) return { from: `${today.slice(0, 4)}-01-01`, to: today };
  const start = new Date(`${today}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - preset.days + 1);
  return { from: iso(start), to: today };
}

/** The preset a from/to pair is, if any ("custom" otherwise); no dates at all is the default 12 weeks. */
export function presetOf(filter: FilterParams, today: string): PeriodPresetId | 'custom' {
  if (!filter.from && !filter.to) return '12w';
  for (const preset of PERIOD_PRESETS) {
    const range = presetRange(preset.id, today);
    if (range.from === filter.from && (filter.to ?? today) === range.to) return preset.id;
  }
  return 'custom';
}

/** Names for the ids a filter holds (people by id); unknown ones read "a coder" and so on. */
export interface FilterNames {
  person(id: string): string | null;
}

/**
 * The filter in words, for the top of the charts page: "Approved 2026-09-01 to 2026-11-30 ·
 * coder Casey Coder · E/M · week of 2026-11-23 · charts with a corrected line".
 */
export function describeFilter(params: ChartsParams, names: FilterNames): string {
  const parts: string[] = [];
  if (params.from || params.to)
    parts.push(
      params.from && params.to
        ? `Approved ${params.from} to ${params.to}`
        : params.from
          ? `Approved from ${params.from}`
          : `Approved up to ${params.to}`,
    );
  else parts.push('Approved in the last 12 weeks');
  if (params.week) parts.push(`week of ${params.week}`);
  if (params.coderId) parts.push(`coder ${names.person(params.coderId) ?? 'not on the team list'}`);
  if (params.reviewerId)
    parts.push(`reviewer ${names.person(params.reviewerId) ?? 'not on the team list'}`);
  if (params.family) parts.push(`${CODE_FAMILY_LABELS[params.family]} codes`);
  if (params.category) parts.push(`corrections: ${CORRECTION_CATEGORY_LABELS[params.category]}`);
  if (params.providerNpi) parts.push(`provider NPI ${params.providerNpi}`);
  if (params.outcome) parts.push(OUTCOME_PHRASES[params.outcome]);
  return parts.join(' · ');
}

const OUTCOME_PHRASES: Record<LineOutcome, string> = {
  accepted: 'charts with a line accepted unchanged',
  corrected: 'charts with a corrected line',
  rejected: 'charts with a rejected line',
  missed: 'charts with a missed line',
};
