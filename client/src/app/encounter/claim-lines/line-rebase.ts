import { normalizeCode, type ClaimLine, type Evidence } from '@countersign/shared';
import { splitModifiers, splitPointers, type ClaimLineDraft } from './claim-line-form';

/**
 * How one field comes out of a three-way merge of a draft:
 * - `unchanged`: neither side changed it;
 * - `mine`: only the person editing changed it, so their value stays;
 * - `theirs`: only the other side changed it, so the draft takes the new value;
 * - `same`: both changed it to the same value;
 * - `conflict`: both changed it differently; `value` keeps mine until the person chooses.
 */
export type MergeStatus = 'unchanged' | 'mine' | 'theirs' | 'same' | 'conflict';

export interface FieldMerge<T> {
  status: MergeStatus;
  base: T;
  theirs: T;
  mine: T;
  /** The merged value; for a conflict, mine (nothing is decided for the person). */
  value: T;
}

/** Three-way merge of one value: `base` is what editing started from, `theirs` is current, `mine` is the draft. */
export function mergeField<T>(
  base: T,
  theirs: T,
  mine: T,
  same: (a: T, b: T) => boolean = Object.is,
): FieldMerge<T> {
  const theyChanged = !same(base, theirs);
  const iChanged = !same(base, mine);
  const status: MergeStatus =
    !theyChanged && !iChanged
      ? 'unchanged'
      : !theyChanged
        ? 'mine'
        : !iChanged
          ? 'theirs'
          : same(theirs, mine)
            ? 'same'
            : 'conflict';
  return { status, base, theirs, mine, value: status === 'theirs' ? theirs : mine };
}

export type Equalities<R> = { [K in keyof R]?: (a: R[K], b: R[K]) => boolean };
export type RecordMerge<R> = { [K in keyof R]: FieldMerge<R[K]> };

/** Merges every field of a record (the keys of `base`), each on its own. */
export function threeWayMerge<R extends object>(
  base: R,
  theirs: R,
  mine: R,
  equalities: Equalities<R> = {},
): RecordMerge<R> {
  const merged = {} as RecordMerge<R>;
  for (const key of Object.keys(base) as Array<keyof R>) {
    merged[key] = mergeField(base[key], theirs[key], mine[key], equalities[key] ?? Object.is);
  }
  return merged;
}

/** The merged value of every field. */
export function mergedValues<R extends object>(merge: RecordMerge<R>): R {
  const values = {} as R;
  for (const key of Object.keys(merge) as Array<keyof R>) values[key] = merge[key].value;
  return values;
}

// --- Claim line drafts -------------------------------------------------------------------------

/** What the line edit form holds: the billed fields as typed, the rationale and the evidence. */
export interface LineEditDraft extends ClaimLineDraft {
  note: string;
  evidence: Evidence | null;
}

/** The editable fields of a line, normalized, so "25,59" and "25, 59" are the same draft. */
export interface LineValues {
  code: string;
  modifiers: string[];
  units: number | null;
  pointers: string[];
  rationale: string;
  evidence: Evidence | null;
}
export type LineField = keyof LineValues;

export const LINE_FIELD_LABELS: Readonly<Record<LineField, string>> = {
  code: 'code',
  modifiers: 'modifiers',
  units: 'units',
  pointers: 'pointers',
  rationale: 'rationale',
  evidence: 'evidence',
};

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);
const sameEvidence = (a: Evidence | null, b: Evidence | null) =>
  a === b || (!!a && !!b && a.start === b.start && a.end === b.end && a.quote === b.quote);
const LINE_EQUALITIES: Equalities<LineValues> = {
  modifiers: sameList,
  pointers: sameList,
  evidence: sameEvidence,
};

export function lineValues(line: ClaimLine): LineValues {
  return {
    code: line.code,
    modifiers: [...line.modifiers],
    units: line.units,
    pointers: [...line.pointers],
    rationale: line.rationale,
    evidence: line.evidence,
  };
}

export function draftValues(draft: LineEditDraft): LineValues {
  return {
    code: normalizeCode(draft.code),
    modifiers: splitModifiers(draft.modifiers),
    units: draft.units,
    pointers: splitPointers(draft.pointers),
    rationale: draft.note.trim(),
    evidence: draft.evidence,
  };
}

/** A field both sides changed differently: shown side by side until the person picks one. */
export interface LineConflict {
  field: LineField;
  /** As text: what it was when editing began, what the other person made it, what the draft says. */
  base: string;
  theirs: string;
  mine: string;
}

export interface LineRebase {
  /** The draft to show now: their values where only they changed something, the person's own text elsewhere. */
  draft: LineEditDraft;
  /** Fields taken from the other side, as "units 1 → 2". */
  taken: Array<{ field: LineField; base: string; theirs: string }>;
  conflicts: LineConflict[];
}

/** A field's value as a person reads it. */
export function showValue(field: LineField, values: LineValues): string {
  switch (field) {
    case 'modifiers':
      return values.modifiers.length ? values.modifiers.join(', ') : 'none';
    case 'pointers':
      return values.pointers.length ? values.pointers.join(', ') : 'none';
    case 'units':
      return values.units === null ? 'empty' : String(values.units);
    case 'rationale':
      return values.rationale ? `“${values.rationale}”` : 'empty';
    case 'evidence':
      return values.evidence ? `“${values.evidence.quote}”` : 'none';
    case 'code':
      return values.code || 'empty';
  }
}

/** The text a form field shows for a value the line has. */
function formText(line: LineValues): Omit<LineEditDraft, 'units' | 'evidence'> {
  return {
    code: line.code,
    modifiers: line.modifiers.join(', '),
    pointers: line.pointers.join(','),
    note: line.rationale,
  };
}

const FORM_KEY: Record<
  Exclude<LineField, 'units' | 'evidence'>,
  'code' | 'modifiers' | 'pointers' | 'note'
> = {
  code: 'code',
  modifiers: 'modifiers',
  pointers: 'pointers',
  rationale: 'note',
};

/** Sets one field of a draft to the line's value (the person chose theirs, or only they changed it). */
export function takeField(draft: LineEditDraft, field: LineField, line: LineValues): LineEditDraft {
  if (field === 'units') return { ...draft, units: line.units };
  if (field === 'evidence') return { ...draft, evidence: line.evidence };
  const key = FORM_KEY[field];
  return { ...draft, [key]: formText(line)[key] };
}

/**
 * Rebases a line draft after a conflict. `base` is the line as it was when editing began,
 * `theirs` the line as it is now, `draft` what the form holds. Fields only the other side changed
 * take their value; fields only the person changed keep what they typed; fields both changed
 * differently are conflicts, left as typed until the person chooses.
 */
export function rebaseLineDraft(
  base: ClaimLine,
  theirs: ClaimLine,
  draft: LineEditDraft,
): LineRebase {
  const baseValues = lineValues(base);
  const theirValues = lineValues(theirs);
  const mine = draftValues(draft);
  const merge = threeWayMerge(baseValues, theirValues, mine, LINE_EQUALITIES);
  let next = { ...draft };
  const taken: LineRebase['taken'] = [];
  const conflicts: LineConflict[] = [];
  for (const field of Object.keys(merge) as LineField[]) {
    const status = merge[field].status;
    if (status === 'theirs') {
      next = takeField(next, field, theirValues);
      taken.push({
        field,
        base: showValue(field, baseValues),
        theirs: showValue(field, theirValues),
      });
    } else if (status === 'conflict') {
      conflicts.push({
        field,
        base: showValue(field, baseValues),
        theirs: showValue(field, theirValues),
        mine: showValue(field, mine),
      });
    }
  }
  return { draft: next, taken, conflicts };
}
