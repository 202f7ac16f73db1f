import fc from 'fast-check';
import type { ClaimLine } from '@countersign/shared';
import { makeLine } from '../../../testing/encounter-fixtures';
import { draftOf } from './claim-line-form';
import {
  mergeField,
  mergedValues,
  rebaseLineDraft,
  threeWayMerge,
  type LineEditDraft,
} from './line-rebase';

describe('mergeField', () => {
  it('keeps a value nobody changed', () => {
    expect(mergeField(1, 1, 1)).toEqual({
      status: 'unchanged',
      base: 1,
      theirs: 1,
      mine: 1,
      value: 1,
    });
  });

  it('keeps mine when only I changed it', () => {
    expect(mergeField(1, 1, 3)).toMatchObject({ status: 'mine', value: 3 });
  });

  it('takes theirs when only they changed it', () => {
    expect(mergeField(1, 2, 1)).toMatchObject({ status: 'theirs', value: 2 });
  });

  it('agrees when both made the same change', () => {
    expect(mergeField(1, 2, 2)).toMatchObject({ status: 'same', value: 2 });
  });

  it('reports a conflict when both changed it differently, keeping mine undecided', () => {
    expect(mergeField(1, 2, 3)).toEqual({
      status: 'conflict',
      base: 1,
      theirs: 2,
      mine: 3,
      value: 3,
    });
  });

  it('compares with the equality it is given', () => {
    const sameList = (a: string[], b: string[]) => a.join() === b.join();
    expect(mergeField(['25'], ['25'], ['25'], sameList).status).toBe('unchanged');
    expect(mergeField(['25'], ['25', '59'], ['25'], sameList)).toMatchObject({
      status: 'theirs',
      value: ['25', '59'],
    });
  });

  // Properties over any three small integers: the merge never drops a one-sided change.
  const value = fc.integer({ min: 0, max: 3 });

  it('never loses their change when I did not touch the field', () => {
    fc.assert(
      fc.property(value, value, (base, theirs) =>
        expect(mergeField(base, theirs, base).value).toBe(theirs),
      ),
    );
  });

  it('never loses my change when they did not touch the field', () => {
    fc.assert(
      fc.property(value, value, (base, mine) =>
        expect(mergeField(base, base, mine).value).toBe(mine),
      ),
    );
  });

  it('calls a conflict exactly when both changed the field to different values', () => {
    fc.assert(
      fc.property(value, value, value, (base, theirs, mine) => {
        const conflict = theirs !== base && mine !== base && theirs !== mine;
        expect(mergeField(base, theirs, mine).status === 'conflict').toBe(conflict);
      }),
    );
  });

  it('is symmetric outside conflicts: swapping theirs and mine gives the same value', () => {
    fc.assert(
      fc.property(value, value, value, (base, theirs, mine) => {
        const forward = mergeField(base, theirs, mine);
        fc.pre(forward.status !== 'conflict');
        expect(mergeField(base, mine, theirs).value).toBe(forward.value);
      }),
    );
  });
});

describe('threeWayMerge', () => {
  it('merges each field on its own', () => {
    const merge = threeWayMerge({ a: 1, b: 1, c: 1 }, { a: 2, b: 1, c: 5 }, { a: 1, b: 3, c: 6 });
    expect(merge.a.status).toBe('theirs');
    expect(merge.b.status).toBe('mine');
    expect(merge.c.status).toBe('conflict');
    expect(mergedValues(merge)).toEqual({ a: 2, b: 3, c: 6 });
  });
});

describe('rebaseLineDraft', () => {
  const base = makeLine({
    code: '99213',
    modifiers: ['25'],
    units: 1,
    pointers: ['A', 'B'],
    rationale: 'Separate E/M',
  });
  const draft = (overrides: Partial<LineEditDraft> = {}): LineEditDraft => ({
    ...draftOf(base),
    note: base.rationale,
    evidence: null,
    ...overrides,
  });

  it('takes the fields only the other person changed and keeps what I typed elsewhere', () => {
    const theirs = { ...base, modifiers: ['25', '59'] };
    const rebase = rebaseLineDraft(base, theirs, draft({ units: 3 }));
    expect(rebase.draft).toEqual(draft({ modifiers: '25, 59', units: 3 }));
    expect(rebase.taken).toEqual([{ field: 'modifiers', base: '25', theirs: '25, 59' }]);
    expect(rebase.conflicts).toEqual([]);
  });

  it('reports a field both changed side by side and leaves my text in the draft', () => {
    const theirs = { ...base, units: 2 };
    const rebase = rebaseLineDraft(base, theirs, draft({ units: 3 }));
    expect(rebase.conflicts).toEqual([{ field: 'units', base: '1', theirs: '2', mine: '3' }]);
    expect(rebase.draft.units).toBe(3);
    expect(rebase.taken).toEqual([]);
  });

  it('does not count retyping the same value differently as a change', () => {
    const theirs: ClaimLine = { ...base, modifiers: ['59'], pointers: ['A'] };
    const rebase = rebaseLineDraft(
      base,
      theirs,
      draft({ code: ' 99213 ', modifiers: '25', pointers: 'a b' }),
    );
    expect(rebase.conflicts).toEqual([]);
    expect(rebase.draft).toMatchObject({ code: ' 99213 ', modifiers: '59', pointers: 'A' });
  });

  it('agrees silently when both made the same change', () => {
    const theirs = { ...base, units: 4 };
    const rebase = rebaseLineDraft(base, theirs, draft({ units: 4 }));
    expect(rebase).toEqual({ draft: draft({ units: 4 }), taken: [], conflicts: [] });
  });

  it('merges the rationale and the evidence like the billed fields', () => {
    const quote = { start: 0, end: 5, quote: 'Right' };
    const theirs = { ...base, rationale: 'Documented separately', evidence: quote };
    const rebase = rebaseLineDraft(base, theirs, draft({ note: 'Mine', code: '99214' }));
    expect(rebase.draft).toMatchObject({ code: '99214', note: 'Mine', evidence: quote });
    expect(rebase.conflicts).toEqual([
      {
        field: 'rationale',
        base: '“Separate E/M”',
        theirs: '“Documented separately”',
        mine: '“Mine”',
      },
    ]);
    expect(rebase.taken).toEqual([{ field: 'evidence', base: 'none', theirs: '“Right”' }]);
  });
});
