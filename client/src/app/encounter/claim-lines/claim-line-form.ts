import {
  CORRECTION_CATEGORIES,
  ClaimLineInputSchema,
  DIAGNOSIS_LETTERS,
  type BilledFieldsPatch,
  type ClaimLineFields,
  type CorrectionCategory,
} from '@countersign/shared';

/** A claim line as a person types it; the shared schema turns it into a line. */
export interface ClaimLineDraft {
  code: string;
  /** Comma or space separated, e.g. `25, 59`. */
  modifiers: string;
  units: number | null;
  /** Letters, e.g. `A,B` or `AB`. */
  pointers: string;
}

export const EMPTY_DRAFT: Readonly<ClaimLineDraft> = {
  code: '',
  modifiers: '',
  units: 1,
  pointers: '',
};

/** The billed fields of a line, as a draft yields them. */
export type BilledFields = Pick<ClaimLineFields, 'code' | 'modifiers' | 'units' | 'pointers'>;

export type DraftResult = { ok: true; line: BilledFields } | { ok: false; message: string };

/** `25, 59` or `25 59` -> `['25', '59']`. */
export function splitModifiers(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** `A,B`, `A B` or `AB` -> `['A', 'B']`. */
export function splitPointers(text: string): string[] {
  return text
    .toUpperCase()
    .replace(/[\s,;]+/g, '')
    .split('')
    .filter(Boolean);
}

/** Validates a draft with the same schema the server applies, so most mistakes show before sending. */
export function parseDraft(draft: ClaimLineDraft): DraftResult {
  if (!draft.code.trim())
    return { ok: false, message: 'Enter a CPT or HCPCS code (for example 99213).' };
  if (draft.units === null || !Number.isFinite(draft.units))
    return { ok: false, message: 'Units are a whole number.' };
  const pointers = splitPointers(draft.pointers);
  const stray = pointers.find((p) => !(DIAGNOSIS_LETTERS as readonly string[]).includes(p));
  if (stray) return { ok: false, message: `Pointer ${stray} is not a diagnosis letter (A to L).` };
  const result = ClaimLineInputSchema.safeParse({
    code: draft.code,
    modifiers: splitModifiers(draft.modifiers),
    units: draft.units,
    pointers,
  });
  if (!result.success)
    return { ok: false, message: result.error.issues[0]?.message ?? 'Check the line.' };
  const { code, modifiers, units, pointers: letters } = result.data;
  return { ok: true, line: { code, modifiers, units, pointers: letters } };
}

/** The editable text of a line. */
export function draftOf(line: BilledFields): ClaimLineDraft {
  return {
    code: line.code,
    modifiers: line.modifiers.join(', '),
    units: line.units,
    pointers: line.pointers.join(','),
  };
}

/**
 * The fields a person changed, compared with the line as it stood when editing began, so a
 * concurrent change by someone else to another field is not overwritten. Null when nothing
 * changed. Modifier order matters on a claim, so it counts as a change.
 */
export function linePatch(original: BilledFields, next: BilledFields): BilledFieldsPatch | null {
  const patch: BilledFieldsPatch = {};
  if (next.code !== original.code) patch.code = next.code;
  if (!sameList(next.modifiers, original.modifiers)) patch.modifiers = next.modifiers;
  if (next.units !== original.units) patch.units = next.units;
  if (!sameList(next.pointers, original.pointers)) patch.pointers = next.pointers;
  return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * The correction category a suggestion most likely belongs to, from what it changes; the
 * reviewer can pick another.
 */
export function guessCategory(before: BilledFields, after: BilledFields): SuggestCategory {
  if (before.code !== after.code)
    return /^992\d\d$/.test(before.code) && /^992\d\d$/.test(after.code)
      ? 'wrong-level'
      : 'wrong-code';
  if (!sameList(before.modifiers, after.modifiers))
    return after.modifiers.length > before.modifiers.length ? 'missing-modifier' : 'wrong-modifier';
  if (before.units !== after.units) return 'units';
  if (!sameList(before.pointers, after.pointers)) return 'diagnosis-pointer';
  return 'other';
}

/** Categories a reviewer can give a suggestion (a missed code is a line of its own). */
export type SuggestCategory = Exclude<CorrectionCategory, 'missed-code'>;
export const SUGGEST_CATEGORIES = CORRECTION_CATEGORIES.filter(
  (c): c is SuggestCategory => c !== 'missed-code',
);

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
