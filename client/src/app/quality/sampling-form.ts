import {
  CORRECTION_CATEGORIES,
  SamplingPolicySchema,
  type CorrectionCategory,
  type SamplingPolicy,
} from '@countersign/shared';

/**
 * The policy as the supervisor edits it: percentages and dollars as people write them, modifiers
 * as one line of text. `toPolicy` turns it back and checks it with the shared schema, naming
 * each wrong field the way the form labels it.
 */
export interface SamplingFormValue {
  newCoderCharts: number | null;
  /** 0..100 */
  thresholdPercent: number | null;
  /** 0..100 */
  samplePercent: number | null;
  modifiers: string;
  /** Dollars; empty: no limit. */
  dollarLimit: number | null;
  recentFailureDays: number | null;
  categories: Record<CorrectionCategory, boolean>;
  newEditionDays: number | null;
}

export type SamplingFormField = Exclude<keyof SamplingFormValue, 'categories'> | 'categories';

export function toFormValue(policy: SamplingPolicy): SamplingFormValue {
  return {
    newCoderCharts: policy.newCoderCharts,
    thresholdPercent: round(policy.lineAccuracyThreshold * 100),
    samplePercent: round(policy.sampleRate * 100),
    modifiers: policy.risk.modifiers.join(', '),
    dollarLimit:
      policy.risk.dollarLimitCents === null ? null : round(policy.risk.dollarLimitCents / 100),
    recentFailureDays: policy.risk.recentFailureDays,
    categories: Object.fromEntries(
      CORRECTION_CATEGORIES.map((c) => [c, policy.risk.recentFailureCategories.includes(c)]),
    ) as Record<CorrectionCategory, boolean>,
    newEditionDays: policy.risk.newEditionDays,
  };
}

/** Where a schema path lands in the form. */
const FIELD_OF_PATH: Readonly<Record<string, SamplingFormField>> = {
  newCoderCharts: 'newCoderCharts',
  lineAccuracyThreshold: 'thresholdPercent',
  sampleRate: 'samplePercent',
  'risk.modifiers': 'modifiers',
  'risk.dollarLimitCents': 'dollarLimit',
  'risk.recentFailureDays': 'recentFailureDays',
  'risk.recentFailureCategories': 'categories',
  'risk.newEditionDays': 'newEditionDays',
};

const MESSAGES: Readonly<Record<SamplingFormField, string>> = {
  newCoderCharts: 'A whole number of charts from 1 to 500',
  thresholdPercent: 'A percentage from 0 to 100',
  samplePercent: 'A percentage from 0 to 100',
  modifiers: 'Two-character modifiers separated by commas, such as 25, 59 (at most 20)',
  dollarLimit: 'An amount in dollars from 0 to 1,000,000, or empty for no limit',
  recentFailureDays: 'A whole number of days from 0 to 365',
  categories: 'Choose at most 10 categories',
  newEditionDays: 'A whole number of days from 0 to 365',
};

/** The form field a schema issue path (`risk.modifiers.0`) belongs to. */
export function fieldOfPath(path: string): SamplingFormField | null {
  const match = Object.keys(FIELD_OF_PATH).find((p) => path === p || path.startsWith(`${p}.`));
  return match ? FIELD_OF_PATH[match]! : null;
}

export function fieldMessage(field: SamplingFormField): string {
  return MESSAGES[field];
}

export type FieldErrors = Partial<Record<SamplingFormField, string>>;

/** The policy the form says, or the message of each field that is wrong. */
export function toPolicy(
  value: SamplingFormValue,
): { ok: true; policy: SamplingPolicy } | { ok: false; errors: FieldErrors } {
  const percent = (n: number | null) => (n === null ? NaN : n / 100);
  const candidate = {
    newCoderCharts: value.newCoderCharts ?? NaN,
    lineAccuracyThreshold: percent(value.thresholdPercent),
    sampleRate: percent(value.samplePercent),
    risk: {
      modifiers: value.modifiers
        .split(/[\s,]+/)
        .map((m) => m.trim().toUpperCase())
        .filter(Boolean),
      dollarLimitCents: value.dollarLimit === null ? null : Math.round(value.dollarLimit * 100),
      recentFailureDays: value.recentFailureDays ?? NaN,
      recentFailureCategories: CORRECTION_CATEGORIES.filter((c) => value.categories[c]),
      newEditionDays: value.newEditionDays ?? NaN,
    },
  };
  const parsed = SamplingPolicySchema.safeParse(candidate);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, errors: errorsOf(parsed.error.issues.map((i) => i.path.join('.'))) };
}

/** The form's messages for the issue paths a check (here or the server's 400) reported. */
export function errorsOf(paths: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const path of paths) {
    const field = fieldOfPath(path);
    if (field) errors[field] = MESSAGES[field];
  }
  return errors;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
